/**
 * The text patterns the editor checks a field with and the node checks it with at run time, written once so that the
 * two cannot disagree. n8n compiles a resource locator's `validation` regex from a string without flags, so these are
 * strings, and letter classes (`[Ll][Ii]…`) make them case-insensitive without the `i` flag. Imports nothing.
 */

/** `[Ll][Ii][Nn]…` for `lin…`: a case-insensitive literal in a regex compiled without flags. */
function anyCase(word: string): string {
	return [...word]
		.map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : `\\${c}`))
		.join('');
}

/**
 * A LinkedIn member profile URL as people copy it from the browser: with or without scheme, `www.`, `m.` or a
 * country subdomain (`uk.linkedin.com`), the lite site's `/mwlite/` prefix, any sub-page LinkedIn shows under the
 * profile (`/en/`, `/details/experience/`, `/recent-activity/all/`), a trailing slash, a query or a fragment.
 * Group 1 is the slug after `/in/`, the public profile ID (still percent-encoded).
 */
export const PROFILE_URL_PATTERN =
	`(?:${anyCase('http')}[Ss]?://)?(?:[A-Za-z]{2,3}\\.|${anyCase('www')}\\.|[Mm]\\.)?` +
	`${anyCase('linkedin')}\\.${anyCase('com')}/(?:${anyCase('mwlite')}/)?${anyCase('in')}/` +
	'([^/?#\\s]+)(?:/[^?#\\s]*)?(?:[?#]\\S*)?';

/** A LinkedIn member profile URN, the form the API takes, e.g. `urn:li:fsd_profile:ACoAAB1234`. */
export const PROFILE_URN_PATTERN = 'urn:li:fsd_profile:[A-Za-z0-9_-]{2,200}';

/** A ConnectSafely account ID as the API and the account list give it. */
export const ACCOUNT_ID_PATTERN = '[A-Za-z0-9_-]{1,64}';

/** The run-time check: the whole (trimmed) text is one such value. */
export function exactly(pattern: string): RegExp {
	return new RegExp(`^(?:${pattern})$`);
}

/**
 * The editor's check: one such value with spaces around it, or nothing. An empty field must pass (an empty account
 * is the default account, an empty recipient is fine with a Conversation URN): n8n refuses to run a workflow whose
 * locator fails its check.
 */
export function emptyOr(pattern: string): string {
	return `^\\s*(?:${pattern})?\\s*$`;
}
