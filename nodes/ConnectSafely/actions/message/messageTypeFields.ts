import type { IDataObject } from 'n8n-workflow';

import { readChoice, readSubject, type ItemContext } from '../../inputs';
import type { SendRequestBody } from '../../types';

const MESSAGE_TYPES = ['normal', 'inmail'];

/**
 * Subject and message type, which the three /messaging/* endpoints share. InMail needs a subject, so the two
 * are checked together.
 */
export function addSubjectAndType(body: SendRequestBody, options: IDataObject, item: ItemContext): void {
	const messageType = readChoice(item, 'Message Type', options.messageType, MESSAGE_TYPES);
	const subject = readSubject(item, options.subject, messageType);
	if (subject !== undefined) body.subject = subject;
	if (messageType !== undefined) body.messageType = messageType;
}
