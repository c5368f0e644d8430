/**
 * The send path as a list: every item passes these guards, in this order, before its one request (sendRun.ts).
 * To add a guard: a file here with a class implementing SendGuard (guard.ts), its option read into the plan
 * (plan.ts) so that `appliesTo` is a field test, and a line below, where its question belongs.
 */
import { AccountQuotaGuard } from './accountQuota';
import { AlreadyMessagedGuard } from './alreadyMessaged';
import { DailyLimitGuard } from './dailyLimit';
import { ExecutionLedgerGuard } from './executionLedger';
import { ExistingConversationGuard } from './existingConversation';
import type { GuardContext, SendGuard } from './guard';
import { NotRepliedGuard } from './notReplied';
import { RecentRepeatsGuard } from './recentRepeats';
import { SendingHoursGuard } from './sendingHours';

/** The guards of one node run, in the order they are asked. Each holds what it learns during the run. */
export function sendGuards(context: GuardContext): readonly SendGuard[] {
	return [
		// First, and in memory: a message this execution sent or may have sent is answered from the ledger (its
		// earlier answer, a skipped item, or its error) before anything else is asked or spends a call.
		new ExecutionLedgerGuard(context),
		// Then, across executions (node version 1.1, production only): a message this workflow sent in the last
		// "Repeat Protection Window (Hours)" is a skipped item. It holds the message until the send's outcome, so a
		// second execution of the same message waits here, then sees it; so it comes before anything that waits.
		new RecentRepeatsGuard(context),
		// In memory, before any call: outside "Sending Hours" an item waits for the window (within "Max Wait for
		// Rate Limit") or comes out not sent, and spends no call. Asked per item, so a list stops at the window's end.
		new SendingHoursGuard(context),
		// Before any call, reads included: an account out of quota gets none until its reset (a wait within
		// "Max Wait for Rate Limit", else the item's error).
		new AccountQuotaGuard(context),
		// The user's own ceiling ("Daily Limit per Account"), counted by the API: one quota read per account per run,
		// before the conversation check's read, so that an account at its limit spends no more calls.
		new DailyLimitGuard(context),
		// Read calls ("Only If They Haven't Replied": the exists check, then the conversation's messages when there is
		// one), before anything is reserved; before the plain conversation check, so that a reply is what a skip says.
		new NotRepliedGuard(context),
		// A read call ("Only If No Conversation Yet"), before anything is reserved: a skipped item reserves nothing.
		new ExistingConversationGuard(context),
		// Last, because it reserves the recipient in n8n's store: after it comes only the send, whose outcome
		// decides whether the reservation is kept or released.
		new AlreadyMessagedGuard(context),
	];
}
