import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import {
	accountField,
	messageField,
	messageTypeOption,
	onlyIfNoConversationYetOption,
	onlyIfNotRepliedOption,
	onlyIfNotRepliedSinceOption,
	optionsCollection,
	recipientField,
	subjectOption,
} from '../../descriptions/fields';
import { readChoice, readSubject, type ItemContext } from '../../inputs/readFields';
import type { SendRequestBody } from '../../transport/types';
import {
	directMessageBody,
	readOptions,
	RECIPIENT_REQUIRED,
	type ReadParameter,
	type SendOperation,
} from '../operation';

const MESSAGE_TYPES = ['normal', 'inmail'];

interface MessagingEndpoint {
	operation: string;
	path: string;
	/** Fields shown above the shared ones (e.g. a notice). */
	leading?: INodeProperties[];
	/** Fields shown between Message and Options. */
	extraFields?: INodeProperties[];
	/** Adds what the extra fields contribute to the body. */
	addExtra?: (body: SendRequestBody, read: ReadParameter, item: ItemContext) => void;
}

/**
 * The three /messaging/* endpoints share their fields and body: account, recipient (required), message, and
 * the options Subject and Message Type — checked together, since InMail needs a subject. Each operation file
 * states only what it adds.
 */
export function messagingEndpoint(endpoint: MessagingEndpoint): SendOperation {
	const properties: INodeProperties[] = [
		...(endpoint.leading ?? []),
		accountField,
		recipientField(true),
		messageField,
		...(endpoint.extraFields ?? []),
		optionsCollection([
			subjectOption,
			messageTypeOption,
			onlyIfNoConversationYetOption,
			onlyIfNotRepliedOption,
			onlyIfNotRepliedSinceOption,
		]),
	];
	return {
		path: endpoint.path,
		description: updateDisplayOptions(
			{ show: { resource: ['message'], operation: [endpoint.operation] } },
			properties,
		),
		buildBody(read, item) {
			const options = readOptions(read);
			const body = directMessageBody(read, item, RECIPIENT_REQUIRED);
			const messageType = readChoice(item, 'Message Type', options.messageType, MESSAGE_TYPES);
			const subject = readSubject(item, options.subject, messageType);
			if (subject !== undefined) body.subject = subject;
			if (messageType !== undefined) body.messageType = messageType;
			endpoint.addExtra?.(body, read, item);
			return body;
		},
	};
}
