import { PUBLIC_ID, profileIdFromUrl, resolveUrl } from '../../shared/linkedinProfile';
import { exactly, PROFILE_URL_PATTERN, PROFILE_URN_PATTERN } from '../../shared/patterns';

export { profileIdFromUrl };

/** Who receives a message: exactly one of these goes into a request body. */
export type RecipientField = { recipientProfileId: string } | { recipientProfileUrn: string };

/** The profile URN the API takes (the editor checks By URN with the same pattern). */
const PROFILE_URN = exactly(PROFILE_URN_PATTERN);
const PROFILE_URL = exactly(PROFILE_URL_PATTERN);

export type RecipientMode = 'url' | 'id' | 'urn';

/** Why a recipient was rejected: `expected` says what would have been accepted, `hint` what to do. */
export class RecipientProblem {
	constructor(
		readonly problem: string,
		readonly hint: string,
	) {}
}

export function isProfileUrn(value: string): boolean {
	return PROFILE_URN.test(value);
}

/**
 * Turns the recipient field into the body field the API expects: a URL or a public ID becomes
 * `recipientProfileId`, a URN `recipientProfileUrn`. Returns a RecipientProblem instead of throwing so
 * that the caller can name the item and the field.
 */
export function parseRecipient(
	mode: RecipientMode,
	value: string,
): RecipientField | RecipientProblem {
	const text = value.trim();
	if (mode === 'url') {
		const id = profileIdFromUrl(text);
		if (id !== undefined) return { recipientProfileId: id };
		if (PROFILE_URL.test(text) && !PROFILE_URL.test(resolveUrl(text))) {
			return new RecipientProblem(
				'opens another page than a profile once its "..", "." or encoded "/" are resolved, as a browser does',
				"Open the person's profile and copy its URL (https://www.linkedin.com/in/…).",
			);
		}
		if (isProfileUrn(text)) {
			return new RecipientProblem(
				'is a URN, not a profile URL',
				'Switch the recipient to "By URN".',
			);
		}
		if (/linkedin\.com\/(sales|talent)\//i.test(text)) {
			return new RecipientProblem(
				'is a Sales Navigator or Recruiter link, not a public profile URL',
				"Open the person's public profile and copy its URL (https://www.linkedin.com/in/…).",
			);
		}
		return new RecipientProblem(
			'is not a LinkedIn profile URL',
			'Use a URL like https://www.linkedin.com/in/jane-doe, or switch the recipient to "By ID" or "By URN".',
		);
	}
	if (mode === 'id') {
		if (PUBLIC_ID.test(text)) return { recipientProfileId: text };
		const fromUrl = profileIdFromUrl(text);
		if (fromUrl !== undefined) {
			return new RecipientProblem(
				'is a profile URL, not a public ID',
				'Switch the recipient to "By URL".',
			);
		}
		if (isProfileUrn(text)) {
			return new RecipientProblem('is a URN, not a public ID', 'Switch the recipient to "By URN".');
		}
		return new RecipientProblem(
			'is not a LinkedIn public profile ID',
			'Use the part after linkedin.com/in/ in the profile URL, e.g. jane-doe (letters, digits, - and _).',
		);
	}
	if (isProfileUrn(text)) return { recipientProfileUrn: text };
	return new RecipientProblem(
		'is not a LinkedIn profile URN',
		'Use a URN like urn:li:fsd_profile:ACoAAB1234, or switch the recipient to "By URL" or "By ID".',
	);
}

/**
 * The identity of a recipient for duplicate safety: every form of one person gives one key. A profile URL is
 * reduced to its public ID, and public IDs are case-insensitive on LinkedIn; a URN cannot be matched to a public
 * ID without a lookup, so it is a key of its own.
 */
export function recipientKey(field: {
	recipientProfileId?: string;
	recipientProfileUrn?: string;
}): string {
	if (field.recipientProfileId !== undefined) return `id:${field.recipientProfileId.toLowerCase()}`;
	if (field.recipientProfileUrn !== undefined) return `urn:${field.recipientProfileUrn}`;
	return '';
}
