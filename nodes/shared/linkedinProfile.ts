/**
 * nodes/shared/: what both nodes need, once. LinkedIn member profile identifiers: every form of a profile URL people
 * paste reduces to the public profile ID (the send node's recipient, the trigger's sender). Imports nothing.
 */

/**
 * LinkedIn member profile URLs as people copy them from the browser into sheets and CRMs: with or without scheme,
 * `www.`, `m.` or a country subdomain (`uk.linkedin.com`), the lite site's `/mwlite/` prefix, any sub-page LinkedIn
 * shows under the profile (`/en/`, `/details/experience/`, `/recent-activity/all/`, `/overlay/contact-info/`), a
 * trailing slash, a query string or a fragment. The slug after `/in/` is the public profile ID.
 */
export const PROFILE_URL =
	/^(?:https?:\/\/)?(?:[a-z]{2,3}\.|www\.|m\.)?linkedin\.com\/(?:mwlite\/)?in\/([^/?#\s]+)(?:\/[^?#\s]*)?(?:[?#]\S*)?$/i;

/** Public profile IDs: letters of any script, digits, hyphens and underscores (3–100 characters). */
export const PUBLIC_ID = /^[\p{L}\p{N}_-]{3,100}$/u;

function decodeSlug(slug: string): string | undefined {
	try {
		return decodeURIComponent(slug);
	} catch {
		return undefined;
	}
}

/** The public profile ID in a LinkedIn profile URL, or undefined when the text is not one. */
export function profileIdFromUrl(url: string): string | undefined {
	const match = PROFILE_URL.exec(url.trim());
	if (!match) return undefined;
	const slug = decodeSlug(match[1]);
	return slug !== undefined && PUBLIC_ID.test(slug) ? slug : undefined;
}
