/**
 * Captures everything n8n logs during a test: n8n-workflow's LoggerProxy (used by WorkflowExecute
 * and n8n-core helpers) and the DI Logger that a node reaches as `this.logger`.
 */
import { Logger as BackendLogger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { inspect } from 'node:util';
import { LoggerProxy } from 'n8n-workflow';
import type { Logger, LogMetadata } from 'n8n-workflow';

export type CapturedLevel = 'error' | 'warn' | 'info' | 'debug';

export interface CapturedLog {
	level: CapturedLevel;
	message: string;
	metadata?: LogMetadata;
	/** message + metadata rendered deeply (errors, nested objects): search this for secrets. */
	text: string;
}

const captured: CapturedLog[] = [];

function render(message: string, metadata?: LogMetadata): string {
	if (metadata === undefined || Object.keys(metadata).length === 0) return message;
	return `${message} ${inspect(metadata, { depth: 10, breakLength: Infinity, showHidden: true })}`;
}

function capture(level: CapturedLevel) {
	return (message: string, metadata?: LogMetadata) => {
		captured.push({ level, message, metadata, text: render(String(message), metadata) });
		if (process.env.HARNESS_PRINT_LOGS) {
			process.stderr.write(`[${level}] ${render(String(message), metadata)}\n`);
		}
	};
}

/** A logger that records instead of printing (set HARNESS_PRINT_LOGS=1 to print too). */
class CapturingLogger implements Logger {
	error = capture('error');

	warn = capture('warn');

	info = capture('info');

	debug = capture('debug');

	/** n8n-core's DI Logger is scoped by some services; scoping changes nothing here. */
	scoped(): this {
		return this;
	}
}

let installed = false;

/** Route LoggerProxy and the DI Logger to the capture. Idempotent. */
export function installLogCapture(): void {
	if (installed) return;
	installed = true;
	const logger = new CapturingLogger();
	LoggerProxy.init(logger);
	// The DI Logger class has private fields: the capture stands in for its public surface.
	Container.set(BackendLogger, logger as unknown as BackendLogger);
}

/** Position in the capture, to slice out what one run logged. */
export function logMark(): number {
	return captured.length;
}

export function logsSince(mark: number): CapturedLog[] {
	return captured.slice(mark);
}

export function allLogs(): CapturedLog[] {
	return [...captured];
}

export function clearLogs(): void {
	captured.length = 0;
}
