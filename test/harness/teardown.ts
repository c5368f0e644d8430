/**
 * n8n-core leaves a 60 s interval behind (SSHClientsManager's cleanup timer, started when a node
 * context builds its helpers): stop it so jest can exit.
 */
import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

export function shutdownN8nCore(): void {
	if (Container.has(SSHClientsManager)) {
		Container.get(SSHClientsManager).onShutdown();
	}
}

let registered = false;

/** Registers shutdownN8nCore() as an afterAll of the current test file (once per file). */
export function registerHarnessTeardown(): void {
	if (registered || typeof afterAll !== 'function') return;
	registered = true;
	afterAll(() => shutdownN8nCore());
}
