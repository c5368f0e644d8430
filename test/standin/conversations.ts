/**
 * The stand-in's LinkedIn inbox: conversations per (account, person), their messages, and the
 * attachments uploaded with POST /conversations/upload-attachment. The server (server.ts) routes
 * requests here; the shapes of the answers follow read-and-webhooks.md sections 1, 2, 3, 10, 13.
 */
import { createHash } from 'node:crypto';

import type { StandinAccount } from './accounts';

/** A stable fake `urn:li:fsd_profile:ACoAA…` for a public profile ID (same id → same URN). */
export function fakeProfileUrn(recipient: string): string {
	const digest = createHash('sha256').update(recipient).digest('base64url');
	return `urn:li:fsd_profile:ACoAA${digest.slice(0, 34)}`;
}

/** A public profile slug, as LinkedIn compares them: percent-decoded, lower case. */
export function normalizeSlug(slug: string): string {
	let decoded = slug;
	try {
		decoded = decodeURIComponent(slug);
	} catch {
		// keep it as it is
	}
	return decoded.trim().toLowerCase();
}

/** What a public profile slug may contain (the same rule as the send endpoints'). */
export const SLUG_PATTERN = /^[\p{L}\p{N}\-_.%]+$/u;

export interface SeedMessage {
	text: string;
	/** Sent by the connected account (default false: an incoming message, unread). */
	fromOwner?: boolean;
	/** Epoch ms; default: now (strictly after the conversation's newest message). */
	sentAt?: number;
	/** An incoming message that was already read (default false). */
	read?: boolean;
	attachments?: Array<Record<string, unknown>>;
}

export interface SeedConversationSpec {
	/** Default: the server's default account. */
	accountId?: string;
	/** The person's public profile slug (case-insensitive). */
	profileId: string;
	/** Default: fakeProfileUrn(slug). A later send to the slug resolves to this URN. */
	profileUrn?: string;
	/** Default: the slug in words ("john-doe-123" → "John Doe"). */
	name?: string;
	headline?: string;
	profilePicture?: string;
	/** Default DISTANCE_1. */
	distance?: string;
	labels?: string[];
	messages?: SeedMessage[];
}

export interface SeededConversation {
	conversationUrn: string;
	/** The seeded messages' URNs, in the order given. */
	messageUrns: string[];
}

export interface Person {
	profileUrn: string;
	slug?: string;
	name: string;
	headline: string;
	profilePicture: string;
	distance: string;
}

export interface StoredMessage {
	/** `2-…`, the part shared by `urn:li:msg_message:(…)` and `urn:li:messagingMessage:…`. */
	messageId: string;
	messageUrn: string;
	text: string;
	sentAt: number;
	fromOwner: boolean;
	read: boolean;
	attachments: Array<Record<string, unknown>>;
	seq: number;
}

export interface StoredConversation {
	accountId: string;
	threadId: string;
	conversationUrn: string;
	person: Person;
	labels: string[];
	/** Oldest first. */
	messages: StoredMessage[];
	createdAt: number;
	/** Tie-breaker of the list order: higher = more recent activity. */
	activitySeq: number;
}

export interface UploadedAttachment {
	assetUrn: string;
	accountId: string;
	byteSize: number;
	mediaType: string;
	name: string;
	/** The Content-Type header exactly as received. */
	contentType: string;
	bytes: Buffer;
	sha256: string;
	uploadedAt: string;
}

/** `urn:li:fsd_profile:ACoAA…` → `ACoAA…` (the internal profile ID of participants[].profileId). */
export function profileIdOf(profileUrn: string): string {
	return profileUrn.slice(profileUrn.lastIndexOf(':') + 1);
}

function nameFromSlug(slug: string): string {
	const words = slug
		.split(/[-_.]+/)
		.filter((w) => w !== '' && !/^\d+$/.test(w) && !/^[0-9a-f]{6,}$/.test(w));
	if (words.length === 0) return 'LinkedIn Member';
	return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

function pictureUrl(profileId: string): string {
	return `https://media.licdn.com/dms/image/standin/${profileId}/profile-displayphoto-shrink_100_100/0/`;
}

/** The thread id part of a conversation URN in any of the forms of section 13, or undefined. */
export function threadIdOf(urn: string): string | undefined {
	const msg = /^urn:li:msg_conversation:\((urn:li:[^,]+),(.+)\)$/.exec(urn);
	if (msg) return msg[2];
	const thread = /^urn:li:messagingThread:(.+)$/.exec(urn);
	if (thread) return thread[1];
	if (/^2-\S+$/.test(urn)) return urn;
	return undefined;
}

/** The message id part of `urn:li:msg_message:(…,<id>)` or `urn:li:messagingMessage:<id>`. */
export function messageIdOf(urn: string): string | undefined {
	const msg = /^urn:li:msg_message:\((urn:li:[^,]+),(.+)\)$/.exec(urn);
	if (msg) return msg[2];
	const backend = /^urn:li:messagingMessage:(.+)$/.exec(urn);
	if (backend) return backend[1];
	return undefined;
}

export class SeedError extends Error {}

export class ConversationStore {
	readonly attachments = new Map<string, UploadedAttachment>();

	private conversations: StoredConversation[] = [];

	private readonly byKey = new Map<string, StoredConversation>();

	private readonly people = new Map<string, Person>();

	private readonly slugs = new Map<string, string>();

	/** Never reset: message ids and asset URNs stay unique for the server's lifetime. */
	private seq = 0;

	constructor(private readonly account: (id: string) => StandinAccount | undefined) {}

	clear(): void {
		this.conversations = [];
		this.byKey.clear();
		this.people.clear();
		this.slugs.clear();
		this.attachments.clear();
	}

	ownerUrn(accountId: string): string {
		const account = this.account(accountId);
		return fakeProfileUrn(account ? account.publicId : accountId);
	}

	all(): StoredConversation[] {
		return [...this.conversations];
	}

	/** The person a send or a check names: by slug, by URN, or both. */
	personFor(slug?: string, profileUrn?: string): Person {
		const normalized = slug ? normalizeSlug(slug) : undefined;
		const urn =
			profileUrn ||
			(normalized ? (this.slugs.get(normalized) ?? fakeProfileUrn(normalized)) : undefined);
		if (!urn) throw new Error('personFor needs a slug or a URN');
		let person = this.people.get(urn);
		if (!person) {
			const id = profileIdOf(urn);
			person = {
				profileUrn: urn,
				slug: normalized,
				name: normalized ? nameFromSlug(normalized) : 'LinkedIn Member',
				headline: '',
				profilePicture: pictureUrl(id),
				distance: 'DISTANCE_1',
			};
			this.people.set(urn, person);
		}
		if (normalized && !person.slug) person.slug = normalized;
		if (normalized && !this.slugs.has(normalized)) this.slugs.set(normalized, urn);
		return person;
	}

	/** The conversation of an account with a person, if there is one. */
	withPerson(accountId: string, person: Person): StoredConversation | undefined {
		return this.byKey.get(`${accountId}|${person.profileUrn}`);
	}

	getOrCreate(accountId: string, person: Person): StoredConversation {
		const existing = this.withPerson(accountId, person);
		if (existing) return existing;
		const key = `${accountId}|${person.profileUrn}`;
		const h = createHash('sha256').update(key).digest('hex');
		const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
		const threadId = `2-${Buffer.from(`${uuid}_100`).toString('base64')}`;
		const conversation: StoredConversation = {
			accountId,
			threadId,
			conversationUrn: `urn:li:msg_conversation:(${this.ownerUrn(accountId)},${threadId})`,
			person,
			labels: [],
			messages: [],
			createdAt: Date.now(),
			activitySeq: ++this.seq,
		};
		this.conversations.push(conversation);
		this.byKey.set(key, conversation);
		return conversation;
	}

	/** A conversation of the account by `urn:li:msg_conversation:(…)`, `urn:li:messagingThread:…` or thread id. */
	find(accountId: string, urn: string): StoredConversation | undefined {
		const threadId = threadIdOf(urn);
		if (threadId === undefined) return undefined;
		return this.conversations.find((c) => c.accountId === accountId && c.threadId === threadId);
	}

	addMessage(conversation: StoredConversation, spec: SeedMessage): StoredMessage {
		const newest = conversation.messages.reduce((max, m) => Math.max(max, m.sentAt), -Infinity);
		let sentAt: number;
		if (spec.sentAt !== undefined) {
			if (!Number.isFinite(spec.sentAt)) throw new SeedError('sentAt must be epoch milliseconds');
			if (conversation.messages.some((m) => m.sentAt === spec.sentAt)) {
				throw new SeedError(`the conversation already has a message sent at ${spec.sentAt}`);
			}
			sentAt = spec.sentAt;
		} else {
			sentAt = Math.max(Date.now(), newest + 1);
		}
		const seq = ++this.seq;
		const messageId = `2-${Buffer.from(`${conversation.threadId.slice(2, 14)}-msg-${seq}`).toString('base64')}`;
		const fromOwner = spec.fromOwner === true;
		const message: StoredMessage = {
			messageId,
			messageUrn: `urn:li:msg_message:(${this.ownerUrn(conversation.accountId)},${messageId})`,
			text: spec.text,
			sentAt,
			fromOwner,
			read: fromOwner || spec.read === true,
			attachments: spec.attachments ?? [],
			seq,
		};
		conversation.messages.push(message);
		conversation.messages.sort((a, b) => a.sentAt - b.sentAt || a.seq - b.seq);
		conversation.activitySeq = seq;
		return message;
	}

	/** Marks the conversation's incoming messages named by `messageUrns` read; returns how many changed. */
	acknowledge(conversation: StoredConversation, messageUrns: readonly string[]): number {
		const ids = new Set(messageUrns.map(messageIdOf).filter((id) => id !== undefined));
		let changed = 0;
		for (const message of conversation.messages) {
			if (!message.read && ids.has(message.messageId)) {
				message.read = true;
				changed++;
			}
		}
		return changed;
	}

	seed(spec: SeedConversationSpec, defaultAccountId: string): SeededConversation {
		if (typeof spec !== 'object' || spec === null) throw new SeedError('expected an object');
		const accountId = spec.accountId ?? defaultAccountId;
		if (!this.account(accountId)) throw new SeedError(`unknown account ${accountId}`);
		if (typeof spec.profileId !== 'string' || !SLUG_PATTERN.test(spec.profileId)) {
			throw new SeedError('profileId must be a public profile slug such as "john-doe-123"');
		}
		if (spec.profileUrn !== undefined && !/^urn:li:fsd_profile:[\w-]+$/.test(spec.profileUrn)) {
			throw new SeedError('profileUrn must look like urn:li:fsd_profile:ACoAA…');
		}
		const messages = spec.messages ?? [];
		if (!Array.isArray(messages) || messages.some((m) => typeof m?.text !== 'string')) {
			throw new SeedError('messages must be a list of { text, fromOwner?, sentAt? }');
		}
		const slug = normalizeSlug(spec.profileId);
		if (spec.profileUrn !== undefined) this.slugs.set(slug, spec.profileUrn);
		const person = this.personFor(slug, spec.profileUrn);
		if (spec.name !== undefined) person.name = spec.name;
		if (spec.headline !== undefined) person.headline = spec.headline;
		if (spec.profilePicture !== undefined) person.profilePicture = spec.profilePicture;
		if (spec.distance !== undefined) person.distance = spec.distance;
		const conversation = this.getOrCreate(accountId, person);
		for (const label of spec.labels ?? []) {
			if (!conversation.labels.includes(label)) conversation.labels.push(label);
		}
		const messageUrns = messages.map((m) => this.addMessage(conversation, m).messageUrn);
		return { conversationUrn: conversation.conversationUrn, messageUrns };
	}

	registerAttachment(
		upload: Omit<UploadedAttachment, 'assetUrn' | 'sha256' | 'uploadedAt' | 'byteSize'>,
	): UploadedAttachment {
		const seq = ++this.seq;
		const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
		const id = createHash('sha256').update(`${sha256}:${seq}`).digest('base64url').slice(0, 22);
		const attachment: UploadedAttachment = {
			...upload,
			assetUrn: `urn:li:digitalmediaAsset:D4E${id}`,
			byteSize: upload.bytes.length,
			sha256,
			uploadedAt: new Date().toISOString(),
		};
		this.attachments.set(attachment.assetUrn, attachment);
		return attachment;
	}

	// Answers ---------------------------------------------------------------------------------------

	unreadCount(conversation: StoredConversation): number {
		return conversation.messages.filter((m) => !m.fromOwner && !m.read).length;
	}

	lastActivityAt(conversation: StoredConversation): number {
		const last = conversation.messages[conversation.messages.length - 1];
		return last ? last.sentAt : conversation.createdAt;
	}

	/** Newest activity first; ties by most recent change. */
	sorted(list: StoredConversation[]): StoredConversation[] {
		return [...list].sort(
			(a, b) => this.lastActivityAt(b) - this.lastActivityAt(a) || b.activitySeq - a.activitySeq,
		);
	}

	participantJson(person: Person) {
		const profileId = profileIdOf(person.profileUrn);
		return {
			profileId,
			name: person.name,
			headline: person.headline,
			profileUrl: `https://www.linkedin.com/in/${person.slug ?? profileId}`,
			profilePicture: person.profilePicture,
			distance: person.distance,
		};
	}

	private senderName(conversation: StoredConversation, message: StoredMessage): string {
		if (!message.fromOwner) return conversation.person.name;
		const account = this.account(conversation.accountId);
		return account ? `${account.firstName} ${account.lastName}` : '';
	}

	conversationJson(conversation: StoredConversation) {
		const latest = conversation.messages[conversation.messages.length - 1];
		return {
			conversationUrn: conversation.conversationUrn,
			conversationId: conversation.threadId,
			lastActivityAt: new Date(this.lastActivityAt(conversation)).toISOString(),
			unreadCount: this.unreadCount(conversation),
			participants: [this.participantJson(conversation.person)],
			latestMessage: latest
				? {
						text: latest.text,
						sentAt: latest.sentAt,
						senderName: this.senderName(conversation, latest),
						hasAttachment: latest.attachments.length > 0,
					}
				: {},
			source: 'linkedin',
		};
	}

	messageJson(conversation: StoredConversation, message: StoredMessage) {
		const senderUrn = message.fromOwner
			? this.ownerUrn(conversation.accountId)
			: conversation.person.profileUrn;
		const senderProfileId = profileIdOf(senderUrn);
		return {
			messageUrn: message.messageUrn,
			text: message.text,
			sentAt: message.sentAt,
			senderProfileId,
			senderName: this.senderName(conversation, message),
			senderPhoto: message.fromOwner
				? pictureUrl(senderProfileId)
				: conversation.person.profilePicture,
			isSentByOwner: message.fromOwner,
			hasAttachment: message.attachments.length > 0,
			attachments: message.attachments,
		};
	}

	/** The inspectable state (GET /__standin/conversations). */
	stateJson(conversation: StoredConversation) {
		return {
			conversationUrn: conversation.conversationUrn,
			threadId: conversation.threadId,
			accountId: conversation.accountId,
			person: { ...conversation.person },
			labels: [...conversation.labels],
			unreadCount: this.unreadCount(conversation),
			lastActivityAt: this.lastActivityAt(conversation),
			messages: conversation.messages.map((m) => ({
				messageUrn: m.messageUrn,
				text: m.text,
				sentAt: m.sentAt,
				fromOwner: m.fromOwner,
				read: m.read,
				attachments: m.attachments,
			})),
		};
	}
}
