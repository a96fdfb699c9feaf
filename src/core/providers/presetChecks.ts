/**
 * The checks one provider needs beyond the generic ones in validateConfiguration: Entra's tenant, an
 * issuer for the presets that are configured through discovery, the issuer shapes Auth0 and Keycloak
 * document. Sentences, like every configuration problem, saying what to enter instead.
 */
import type { AppConfiguration } from './appConfiguration';
import type { ProviderPreset } from './providerPreset';

/** Entra's named audiences (MicrosoftDocs/entra-docs docs/identity-platform/v2-oauth2-auth-code-flow.md, "tenant"). */
const NAMED_TENANTS: ReadonlySet<string> = new Set(['common', 'organizations', 'consumers']);
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A DNS name such as contoso.onmicrosoft.com. */
const DOMAIN_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** Keycloak 17+ `/realms/{realm}`, or `/auth/realms/{realm}` before it (Keycloak's OIDC endpoints live below it). */
const KEYCLOAK_REALM_PATH = /^\/(?:auth\/)?realms\/[^/]+$/;

export function presetProblems(config: AppConfiguration, preset: ProviderPreset): string[] {
  const problems: string[] = [];
  if (preset.tenant !== undefined) {
    problems.push(...tenantProblems(config));
  }
  if (preset.discovery !== undefined && preset.discovery.issuerOptional !== true) {
    problems.push(...issuerProblems(config, preset));
  }
  return problems;
}

function tenantProblems(config: AppConfiguration): string[] {
  const tenant = config.tenant?.trim() ?? '';
  if (tenant === '') {
    return ['The Entra tenant is missing; enter common, organizations, consumers, your tenant ID or your tenant\'s domain in Configure App.'];
  }
  if (!isEntraTenant(tenant)) {
    return [`"${tenant}" is not an Entra tenant: enter common, organizations, consumers, a tenant ID (a GUID) or a domain such as contoso.onmicrosoft.com.`];
  }
  const problems: string[] = [];
  for (const [name, url] of [['authorization endpoint', config.authorizationEndpoint], ['token endpoint', config.tokenEndpoint]] as const) {
    const named = firstPathSegment(url);
    if (named !== undefined && named.toLowerCase() !== tenant.toLowerCase()) {
      problems.push(`The ${name} names tenant "${named}", not the configured "${tenant}"; run Configure App to make them agree.`);
    }
  }
  return problems;
}

export function isEntraTenant(tenant: string): boolean {
  return NAMED_TENANTS.has(tenant) || TENANT_ID.test(tenant) || DOMAIN_NAME.test(tenant);
}

function issuerProblems(config: AppConfiguration, preset: ProviderPreset): string[] {
  const template = preset.discovery?.issuerTemplate;
  const issuer = config.issuer?.trim() ?? '';
  if (issuer === '') {
    return [`The ${preset.label} issuer is missing${template === undefined ? '' : ` (${template})`}; enter it in Configure App, which finds the endpoints from it.`];
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    // endpointProblems already names an issuer that is not a URL.
    return [];
  }
  if (preset.id === 'auth0' && !issuer.endsWith('/')) {
    // Auth0's issuer, in its discovery document and in every iss claim, ends in "/"; without it the
    // issuer comparison of RFC 8414 §3.3 and of ID tokens fails (spring-projects/spring-boot#15324).
    return [`The Auth0 issuer must end with "/", as Auth0 writes it: ${issuer}/`];
  }
  if (preset.id === 'keycloak' && !KEYCLOAK_REALM_PATH.test(url.pathname.replace(/\/+$/, ''))) {
    return [`The Keycloak issuer is the realm's URL, https://{host}/realms/{realm}; "${issuer}" does not end in /realms/ and a realm name.`];
  }
  return [];
}

function firstPathSegment(url: string): string | undefined {
  try {
    const segment = new URL(url.trim()).pathname.split('/')[1];
    return segment === undefined || segment === '' ? undefined : decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
