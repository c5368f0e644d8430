/**
 * nodes/shared/: what both nodes need, once. LinkedIn member profile identifiers: every form of a profile URL people
 * paste reduces to the public profile ID (the send node's recipient, the trigger's sender).
 */
import { exactly, PROFILE_URL_PATTERN } from './patterns';

/** A profile URL as people copy it (nodes/shared/patterns.ts); the editor checks the field with the same pattern. */
const PROFILE_URL = exactly(PROFILE_URL_PATTERN);

/** Public profile IDs: letters of any script, digits, hyphens and underscores (3–100 characters). */
export const PUBLIC_ID = /^[\p{L}\p{N}_-]{3,100}$/u;

/** Scheme and host | path | query and fragment. */
const URL_PARTS = /^((?:[a-z][a-z0-9+.-]*:\/\/)?[^/\\?#]*)([^?#]*)([?#][\s\S]*)?$/i;

/** `%2F` and `%5C` (encoded `/` and `\`), `%2E` (an encoded `.`), case-insensitive. */
const ENCODED_SEPARATOR = /%(2f|5c|2e)/gi;

/**
 * The path as a browser resolves it before it asks for the page: `\` read as `/`, encoded slashes and dots
 * decoded, `.` and `..` segments removed (RFC 3986, 5.2.4). `/in/jane-doe/../../company/acme` is `/company/acme`, a
 * company page; read before resolving, it would have been the profile jane-doe.
 */
function resolvePath(path: string): string {
	const decoded = path
		.replace(ENCODED_SEPARATOR, (_, hex: string) => (hex === '2e' || hex === '2E' ? '.' : '/'))
		.replace(/\\/g, '/');
	const segments: string[] = [];
	const parts = decoded.split('/').slice(1);
	parts.forEach((segment, index) => {
		const last = index === parts.length - 1;
		if (segment === '..') segments.pop();
		if (segment === '.' || segment === '..') {
			// A trailing `.` or `..` leaves the path ending in a slash, as a browser does.
			if (last) segments.push('');
			return;
		}
		segments.push(segment);
	});
	return `/${segments.join('/')}`;
}

/** The URL with its path resolved as a browser would; the text unchanged when it has no path. */
export function resolveUrl(url: string): string {
	const parts = URL_PARTS.exec(url.trim());
	if (!parts || parts[2] === '') return url.trim();
	return `${parts[1]}${resolvePath(parts[2])}${parts[3] ?? ''}`;
}

function decodeSlug(slug: string): string | undefined {
	try {
		return decodeURIComponent(slug);
	} catch {
		return undefined;
	}
}

/**
 * The public profile ID in a LinkedIn profile URL, or undefined when the text is not one. The text must have the
 * shape the editor accepts (so the run refuses nothing the editor let through without reason, and accepts nothing it
 * refused), and the page it opens, once resolved as a browser resolves it, must still be `/in/<id>`.
 */
export function profileIdFromUrl(url: string): string | undefined {
	const text = url.trim();
	if (!PROFILE_URL.test(text)) return undefined;
	const match = PROFILE_URL.exec(resolveUrl(text));
	if (!match) return undefined;
	const slug = decodeSlug(match[1]);
	return slug !== undefined && PUBLIC_ID.test(slug) ? slug : undefined;
}
