// Named apps for the Apps UI's unit tests: a valid SKY and a valid sandbox configuration from the presets.
import type { NamedApp } from '../../../src/core/apps/namedApp';
import { configurationFromPreset, presetById } from '../../../src/core/providers/presets';

export function skyApp(id = 'app-sky', name = 'SKY production'): NamedApp {
  return { id, name, configuration: configurationFromPreset(presetById('sky'), { clientId: 'sky-client-id' }) };
}

export function sandboxApp(id = 'app-sandbox', name = 'Sandbox'): NamedApp {
  return {
    id, name, configuration: configurationFromPreset(presetById('sandbox'), {
      clientId: 'demo-client', authorizationEndpoint: 'http://127.0.0.1:4100/auth', tokenEndpoint: 'http://127.0.0.1:4100/token',
      apiBaseUrl: 'http://127.0.0.1:4100/api',
    }),
  };
}

/** Configured for nothing: no client ID, no endpoints. */
export function unconfiguredApp(id = 'app-new', name = 'New app'): NamedApp {
  return { id, name, configuration: configurationFromPreset(presetById('generic')) };
}
