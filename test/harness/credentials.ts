/**
 * The credentials side of the harness: plain credential data by type, applied to requests the way
 * the n8n app applies them (n8n-core leaves `authenticate: { type: 'generic' }` to the app).
 */
import { Credentials } from 'n8n-core';
import { ICredentialsHelper, isExpression } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

import { ConnectSafelyApi } from '../../credentials/ConnectSafelyApi.credentials';

/** The package's own credential types: the default of every harness run. */
export function packageCredentialTypes(): ICredentialType[] {
	return [new ConnectSafelyApi()];
}

export type CredentialsByType = Record<string, ICredentialDataDecryptedObject>;

/** Fills in a credential's property defaults, as the app does before handing data to a node. */
export function withDefaults(
	type: ICredentialType | undefined,
	data: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	const result: ICredentialDataDecryptedObject = {};
	for (const property of type?.properties ?? []) {
		if (property.default !== undefined && property.type !== 'notice') {
			result[property.name] = property.default as ICredentialDataDecryptedObject[string];
		}
	}
	return { ...result, ...data };
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly types = new Map<string, ICredentialType>();

	/** How many times each credential type was read (getDecrypted), for tests that care. */
	readonly reads = new Map<string, number>();

	constructor(
		credentialTypes: ICredentialType[],
		private readonly data: CredentialsByType,
	) {
		super();
		for (const type of credentialTypes) this.types.set(type.name, type);
	}

	credentialType(name: string): ICredentialType | undefined {
		return this.types.get(name);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions;
		const authenticate = this.types.get(typeName)?.authenticate;
		if (authenticate === undefined) return requestOptions;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (authenticate.type !== 'generic') return requestOptions;

		const resolve = (value: unknown): unknown => {
			if (typeof value !== 'string' || !isExpression(value)) return value;
			const resolved = workflow.expression.getSimpleParameterValue(
				node,
				value,
				'internal',
				{ $credentials: credentials },
				undefined,
				'',
			);
			return resolved === undefined || resolved === null ? '' : String(resolved);
		};
		const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			if (section === 'auth' || typeof entries !== 'object' || entries === null) continue;
			const bucket = (target[section] ??= {});
			for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
				bucket[String(resolve(key))] = resolve(value);
			}
		}
		if (authenticate.properties.auth) {
			const auth = authenticate.properties.auth;
			requestOptions.auth = {
				username: String(resolve(auth.username)),
				password: String(resolve(auth.password)),
			};
		}
		return requestOptions;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		_credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	getParentTypes(name: string): string[] {
		const type = this.types.get(name);
		const parents = type?.extends ?? [];
		return [...parents, ...parents.flatMap((parent) => this.getParentTypes(parent))];
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		this.reads.set(type, (this.reads.get(type) ?? 0) + 1);
		const data = this.data[type];
		if (data === undefined) {
			throw new Error(`The harness has no credential data of type "${type}"`);
		}
		return structuredClone(withDefaults(this.types.get(type), data));
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<Credentials> {
		return new Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, type, '');
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types.get(type)?.properties ?? [];
	}
}
