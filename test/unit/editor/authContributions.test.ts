// package.json must declare what the code registers: the authentication provider, its activation event,
// the Run with My Tokens command, and its menus on exactly the languages it has a runner for.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RUNNABLE_LANGUAGE_IDS } from '../../../src/core/run/runCommand';
import { COMMAND_IDS } from '../../../src/editor/commandShell';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL } from '../../../src/editor/sessions/sessionSource';

interface Manifest {
  activationEvents: string[];
  contributes: {
    authentication: { id: string; label: string }[];
    commands: { command: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
}

function manifest(): Manifest {
  let directory = __dirname;
  while (!fs.existsSync(path.join(directory, 'package.json')) || !fs.existsSync(path.join(directory, 'src'))) directory = path.dirname(directory);
  return JSON.parse(fs.readFileSync(path.join(directory, 'package.json'), 'utf8')) as Manifest;
}

describe('contributions for the authentication provider and Run with My Tokens', function () {
  const pkg = manifest();

  it('declares the provider the shell registers, and activates on a request for it', function () {
    assert.deepEqual(pkg.contributes.authentication, [{ id: AUTH_PROVIDER_ID, label: AUTH_PROVIDER_LABEL }]);
    assert.ok(pkg.activationEvents.includes(`onAuthenticationRequest:${AUTH_PROVIDER_ID}`));
  });

  it('contributes the Run with My Tokens command the shell registers', function () {
    assert.ok(COMMAND_IDS.includes('authCodeFlow.runWithMyTokens'));
    assert.ok(pkg.contributes.commands.some((command) => command.command === 'authCodeFlow.runWithMyTokens'));
  });

  it('offers Run with My Tokens in the run menu and the explorer on exactly the runnable languages', function () {
    for (const menu of ['editor/title/run', 'explorer/context']) {
      const item = pkg.contributes.menus[menu]?.find((entry) => entry.command === 'authCodeFlow.runWithMyTokens');
      const languages = /resourceLangId =~ \/\^\(([^)]*)\)\$\//.exec(item?.when ?? '')?.[1]?.split('|');
      assert.deepEqual(languages?.sort(), [...RUNNABLE_LANGUAGE_IDS].sort(), menu);
    }
  });
});
