import { createHmac, timingSafeEqual } from 'crypto';

/** Lower case, as Node.js hands incoming header names to n8n. */
export const SIGNATURE_HEADER = 'x-webhook-signature';

const SCHEME = 'sha256=';
const HEX_DIGEST = /^[0-9a-f]{64}$/i;

export type SignatureVerdict = { valid: true } | { valid: false; reason: string };

/**
 * ConnectSafely's signature: `X-Webhook-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw request body
 * keyed with the webhook's signing secret. The body must be the bytes as received: JSON parsed and written
 * again need not be byte-identical. The digests are compared in constant time, so a caller cannot learn
 * the expected signature byte by byte from response times. The reasons name what was wrong, never a value.
 */
export function verifySignature(
	rawBody: Buffer | undefined,
	header: string | string[] | undefined,
	secret: string,
): SignatureVerdict {
	if (secret === '') {
		return { valid: false, reason: 'the credential has no signing secret' };
	}
	if (header === undefined || header === '') {
		return { valid: false, reason: 'the request has no X-Webhook-Signature header' };
	}
	if (Array.isArray(header) || !header.startsWith(SCHEME)) {
		return { valid: false, reason: 'X-Webhook-Signature is not of the form sha256=<hex>' };
	}
	const digest = header.slice(SCHEME.length);
	if (!HEX_DIGEST.test(digest)) {
		return { valid: false, reason: 'X-Webhook-Signature is not of the form sha256=<hex>' };
	}
	if (rawBody === undefined) {
		return { valid: false, reason: 'the request body could not be read as sent' };
	}
	const expected = createHmac('sha256', secret).update(rawBody).digest();
	if (!timingSafeEqual(expected, Buffer.from(digest, 'hex'))) {
		return {
			valid: false,
			reason: 'X-Webhook-Signature does not match the body and the signing secret',
		};
	}
	return { valid: true };
}
