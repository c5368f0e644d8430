/**
 * Seed data of the stand-in ConnectSafely server: the LinkedIn accounts behind every API key.
 */

export type AccountStatus = 'AVAILABLE' | 'IN_USE' | 'ERROR';

export interface StandinAccount {
	/** 24 hexadecimal characters, as in the live API. */
	id: string;
	firstName: string;
	lastName: string;
	publicId: string;
	headline: string;
	status: AccountStatus;
	hasSalesNavigator: boolean;
}

/** The default account (used when a request names no accountId). Has Sales Navigator. */
export const SALES_NAV_ACCOUNT_ID = '65a1b2c3d4e5f60718293a4b';
/** A plain LinkedIn account without Sales Navigator. */
export const INBOX_ACCOUNT_ID = '65b2c3d4e5f60718293a4b5c';
/**
 * An account whose LinkedIn session is broken (status ERROR): every send answers 500
 * "Failed to get LinkedIn authentication credentials", as the live API does when the account
 * must be reconnected.
 */
export const DISCONNECTED_ACCOUNT_ID = '65c3d4e5f60718293a4b5c6d';
/** Well-formed (24 hex) but belongs to no account of the key: 404 Account not found. */
export const UNKNOWN_ACCOUNT_ID = '65ffffffffffffffffffffff';

export const DEFAULT_ACCOUNT_ID = SALES_NAV_ACCOUNT_ID;

export const DEFAULT_API_KEY = 'cs_test_standin_key_0123456789abcdef';

export const SEED_ACCOUNTS: readonly StandinAccount[] = [
	{
		id: SALES_NAV_ACCOUNT_ID,
		firstName: 'Ada',
		lastName: 'Lovelace',
		publicId: 'ada-lovelace',
		headline: 'Head of Partnerships at Analytical Engines',
		status: 'AVAILABLE',
		hasSalesNavigator: true,
	},
	{
		id: INBOX_ACCOUNT_ID,
		firstName: 'Grace',
		lastName: 'Hopper',
		publicId: 'grace-hopper',
		headline: 'Founder at Compiler Labs',
		status: 'AVAILABLE',
		hasSalesNavigator: false,
	},
	{
		id: DISCONNECTED_ACCOUNT_ID,
		firstName: 'Alan',
		lastName: 'Turing',
		publicId: 'alan-turing',
		headline: 'Researcher',
		status: 'ERROR',
		hasSalesNavigator: false,
	},
];

/** The object GET /accounts lists. */
export function accountListEntry(account: StandinAccount) {
	return {
		id: account.id,
		firstName: account.firstName,
		lastName: account.lastName,
		publicId: account.publicId,
		headline: account.headline,
		status: account.status,
	};
}

/** The object GET /account/status returns. */
export function accountStatusBody(account: StandinAccount) {
	return {
		id: account.id,
		firstName: account.firstName,
		lastName: account.lastName,
		publicId: account.publicId,
		status: account.status,
		linkedinPlan: {
			hasSalesNavigator: account.hasSalesNavigator,
			hasPremium: account.hasSalesNavigator,
			hasRecruiter: false,
		},
	};
}
