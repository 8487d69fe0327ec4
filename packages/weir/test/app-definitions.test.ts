/**
 * `app()` and `defineProject({ apps })`: names that cannot be part of a URL, two apps of one
 * name, a missing handler and unknown options are refused when the project is defined.
 */
import { describe, expect, it } from 'vitest';
import { type AppDefinition, app, DefinitionError, defineProject } from '../src/index.js';
import { thrownBy } from './helpers.js';

const fetch = () => new Response('ok');

describe('app()', () => {
  it('declares an app with a name, a description and a handler', () => {
    const directory = app({ name: 'directory', description: 'Search', fetch });
    expect(directory).toMatchObject({ kind: 'app', name: 'directory', description: 'Search' });
    expect(defineProject({ assets: [], apps: [directory] }).apps).toEqual([directory]);
    expect(defineProject({ assets: [] }).apps).toEqual([]);
  });

  it.each(['', 'Directory', '1st', 'a/b', '..', 'a.b', 'a_b', 'dir-', 'x'.repeat(41), 'ünï'])(
    'refuses the name %j, saying what a name may hold',
    (name) => {
      const error = thrownBy(() => app({ name, fetch }), DefinitionError);
      expect(error.code).toBe('E_DEFINITION');
      expect(error.message).toMatch(/invalid app name .*lowercase letters, digits and '-'/);
    },
  );

  it('accepts names with digits and dashes, up to 40 characters', () => {
    for (const name of ['a', 'directory-2', `a${'b'.repeat(39)}`]) {
      expect(app({ name, fetch }).name).toBe(name);
    }
  });

  it('needs a fetch function and refuses unknown options', () => {
    const noFetch = thrownBy(
      () => app({ name: 'x' } as unknown as Parameters<typeof app>[0]),
      DefinitionError,
    );
    expect(noFetch.message).toMatch(/app 'x' needs a fetch function/);
    const unknown = thrownBy(
      () => app({ name: 'x', fetch, handler: fetch } as unknown as Parameters<typeof app>[0]),
      DefinitionError,
    );
    expect(unknown.message).toMatch(/unknown option 'handler'/);
  });

  it('refuses two apps of one name, and an entry not built by app()', () => {
    const twice = thrownBy(
      () =>
        defineProject({ assets: [], apps: [app({ name: 'a', fetch }), app({ name: 'a', fetch })] }),
      DefinitionError,
    );
    expect(twice.message).toMatch(/two apps named 'a'/);
    const raw = thrownBy(
      () =>
        defineProject({
          assets: [],
          apps: [{ name: 'a', fetch } as unknown as AppDefinition],
        }),
      DefinitionError,
    );
    expect(raw.message).toMatch(/apps\[0\] is not built by app\(\)/);
  });
});
