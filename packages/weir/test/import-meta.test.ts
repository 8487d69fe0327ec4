import { describe, expect, it } from 'vitest';
import { rewriteImportMeta } from '../src/cli/_import-meta.js';

const rewrite = (source: string, file = '/proj/src/a.ts') =>
  rewriteImportMeta(source, file, '/proj');

describe('rewriteImportMeta', () => {
  it('replaces import.meta.url, dirname and filename with hoisted functions, keeping every line in place', () => {
    const source =
      "const data = new URL('../data/', import.meta.url);\nconst here = import.meta.dirname;\nexport { data, here };\n";
    const out = rewrite(source);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(
      /^const data = new URL\('\.\.\/data\/', __weir_meta_url_[0-9a-f]{10}\(\)\);$/,
    );
    expect(lines[1]).toMatch(/^const here = __weir_meta_dirname_[0-9a-f]{10}\(\);$/);
    expect(out).toContain('{ return "file:///proj/src/a.ts"; }');
    expect(out).toContain('{ return "/proj/src"; }');
    // The declarations come after the original lines, so stack traces keep their line numbers.
    expect(lines.slice(0, 3)).toEqual(out.split('\n').slice(0, 3));
  });

  it('leaves strings, template text and comments alone but rewrites template expressions', () => {
    const source = [
      'const a = "do not use import.meta.url here";',
      "const b = 'import.meta.dirname';",
      '// import.meta.url in a comment',
      '/* import.meta.filename */',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text under test holds a template literal
      'const c = `text import.meta.url ${import.meta.url} more ${`nested ${import.meta.dirname}`}`;',
      'const d = ximport.meta.url;',
    ].join('\n');
    const out = rewrite(source).split('\n');
    expect(out[0]).toBe('const a = "do not use import.meta.url here";');
    expect(out[1]).toBe("const b = 'import.meta.dirname';");
    expect(out[2]).toBe('// import.meta.url in a comment');
    expect(out[3]).toBe('/* import.meta.filename */');
    expect(out[4]).toMatch(
      /^const c = `text import\.meta\.url \$\{__weir_meta_url_\w+\(\)\} more \$\{`nested \$\{__weir_meta_dirname_\w+\(\)\}`\}`;$/,
    );
    expect(out[5]).toBe('const d = ximport.meta.url;');
  });

  it('names the functions after the path relative to the project, so moving the project keeps them', () => {
    const here = rewrite('export const u = import.meta.url;', '/a/proj/src/x.ts').split('\n')[0];
    const moved = rewriteImportMeta(
      'export const u = import.meta.url;',
      '/b/elsewhere/src/x.ts',
      '/b/elsewhere',
    ).split('\n')[0];
    expect(
      rewriteImportMeta('export const u = import.meta.url;', '/a/proj/src/x.ts', '/a/proj').split(
        '\n',
      )[0],
    ).toBe(moved);
    expect(here).not.toBe(moved); // a different relative path (root /proj) gives another name
  });
});
