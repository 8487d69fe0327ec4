/**
 * @module cli/_module-plan
 * How a compiled project file can run as a plain script (see `_script-modules.ts`): its
 * `import` and `export` statements, which are blanked (same length, same lines, so every other
 * character, every function's text and every stack position stays where it was), and what the
 * script must be given and must return instead. A file the plan cannot express exactly says
 * why, and the project is then imported as ES modules.
 */
import type {
  ExportAllDeclaration,
  ExportNamedDeclaration,
  ImportDeclaration,
  ModuleDeclaration,
  Program,
  Statement,
} from 'acorn';

/** One module a file asks for, in the order ES modules would evaluate it. */
export interface ModuleRequest {
  specifier: string;
  /** Local name ← imported name (`*` for the namespace). Empty for `import "x"`/re-exports. */
  bindings: Array<[local: string, imported: string]>;
}

/** An exported name of a file and where its value comes from. */
export type ExportSource =
  | { local: string }
  | { request: number; imported: string }
  | { request: number; namespace: true };

export interface ModulePlan {
  /** [start, end) of each statement to blank. */
  blank: Array<[number, number]>;
  requests: ModuleRequest[];
  exports: Record<string, ExportSource>;
  /** Requests whose every export (but `default`) this file re-exports. */
  stars: number[];
}

export type PlanResult = { plan: ModulePlan } | { unsupported: string };

/** Names the wrapper itself uses: a file that uses one is imported as an ES module. */
export const LINK_PARAMETER = '__weir_link';

/**
 * The plan of one compiled file, or why it must stay an ES module: dynamic `import()` (it would
 * load a second copy of a project file), an `import.meta` left over, import attributes, an
 * export that is a declaration (esbuild writes export lists), an exported binding assigned
 * after its declaration (an importer here holds the value it had when the importer ran, an ES
 * module importer a live binding).
 */
export function planModule(code: string, parse: (code: string) => Program): PlanResult {
  if (/\bimport\s*\(/.test(code)) return { unsupported: 'it imports a module dynamically' };
  if (/\bimport\s*\.\s*meta\b/.test(code)) return { unsupported: 'it uses import.meta' };
  if (code.includes(LINK_PARAMETER)) return { unsupported: `it uses the name ${LINK_PARAMETER}` };
  const program = parse(code);
  const plan: ModulePlan = { blank: [], requests: [], exports: {}, stars: [] };
  const requestOf = (specifier: string): number => {
    plan.requests.push({ specifier, bindings: [] });
    return plan.requests.length - 1;
  };
  for (const statement of program.body) {
    if (!isModuleDeclaration(statement)) continue;
    if ('attributes' in statement && (statement.attributes?.length ?? 0) > 0) {
      return { unsupported: 'it imports with attributes' };
    }
    plan.blank.push([statement.start, statement.end]);
    const problem =
      statement.type === 'ImportDeclaration'
        ? addImport(plan, statement, requestOf)
        : statement.type === 'ExportAllDeclaration'
          ? addStar(plan, statement, requestOf)
          : statement.type === 'ExportNamedDeclaration' && statement.declaration == null
            ? addExportList(plan, statement, requestOf)
            : 'it exports a declaration';
    if (problem !== undefined) return { unsupported: problem };
  }
  const later = assignedLater(program);
  for (const [name, source] of Object.entries(plan.exports)) {
    if ('local' in source && later.has(source.local)) {
      return { unsupported: `its export ${name} is assigned after it is declared` };
    }
  }
  return { plan };
}

function isModuleDeclaration(node: Statement | ModuleDeclaration): node is ModuleDeclaration {
  return (
    node.type === 'ImportDeclaration' ||
    node.type === 'ExportNamedDeclaration' ||
    node.type === 'ExportDefaultDeclaration' ||
    node.type === 'ExportAllDeclaration'
  );
}

const nameOf = (node: { type: string; name?: string; value?: unknown }): string =>
  node.type === 'Identifier' ? node.name! : String(node.value);

function addImport(
  plan: ModulePlan,
  statement: ImportDeclaration,
  requestOf: (specifier: string) => number,
): undefined {
  const request = plan.requests[requestOf(String(statement.source.value))]!;
  for (const specifier of statement.specifiers) {
    const imported =
      specifier.type === 'ImportDefaultSpecifier'
        ? 'default'
        : specifier.type === 'ImportNamespaceSpecifier'
          ? '*'
          : nameOf(specifier.imported);
    request.bindings.push([specifier.local.name, imported]);
  }
  return undefined;
}

function addStar(
  plan: ModulePlan,
  statement: ExportAllDeclaration,
  requestOf: (specifier: string) => number,
): string | undefined {
  const request = requestOf(String(statement.source.value));
  if (statement.exported == null) {
    plan.stars.push(request);
    return undefined;
  }
  return define(plan, nameOf(statement.exported), { request, namespace: true });
}

function addExportList(
  plan: ModulePlan,
  statement: ExportNamedDeclaration,
  requestOf: (specifier: string) => number,
): string | undefined {
  const request = statement.source == null ? undefined : requestOf(String(statement.source.value));
  for (const specifier of statement.specifiers) {
    const exported = nameOf(specifier.exported);
    const local = nameOf(specifier.local);
    const problem = define(
      plan,
      exported,
      request === undefined ? { local } : { request, imported: local },
    );
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function define(plan: ModulePlan, name: string, source: ExportSource): string | undefined {
  if (Object.hasOwn(plan.exports, name)) return `it exports ${name} twice`;
  plan.exports[name] = source;
  return undefined;
}

/**
 * The names assigned inside a function anywhere in the file (`x = …`, `x += …`, `x++`,
 * `[x] = …`, `for (x of …)`), whatever the scope: an exported binding among them may change
 * after the file ran. Assignments at the top level are over once the file has run, before any
 * importer reads it. Over-eager on purpose (a local of the same name counts too): a false
 * alarm only means the exact, slower way.
 */
function assignedLater(program: Program): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown, inFunction: boolean): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, inFunction);
      return;
    }
    if (node === null || typeof node !== 'object' || !('type' in node)) return;
    const n = node as { type: string; [key: string]: unknown };
    // A class field's initial value runs when an instance is made, later too.
    const nested = inFunction || n.type.includes('Function') || n.type === 'PropertyDefinition';
    if (
      nested &&
      (n.type === 'AssignmentExpression' ||
        n.type === 'ForOfStatement' ||
        n.type === 'ForInStatement')
    ) {
      targets(n.left, names);
    } else if (nested && n.type === 'UpdateExpression') {
      targets(n.argument, names);
    }
    for (const key in n) {
      if (key !== 'type' && key !== 'start' && key !== 'end') visit(n[key], nested);
    }
  };
  visit(program.body, false);
  return names;
}

/** The identifiers a pattern assigns to. */
function targets(pattern: unknown, names: Set<string>): void {
  if (pattern === null || typeof pattern !== 'object') return;
  const p = pattern as { type: string; [key: string]: unknown };
  if (p.type === 'Identifier') names.add(p.name as string);
  else if (p.type === 'ArrayPattern') for (const e of p.elements as unknown[]) targets(e, names);
  else if (p.type === 'ObjectPattern') {
    for (const property of p.properties as Array<{
      type: string;
      value?: unknown;
      argument?: unknown;
    }>) {
      targets(property.type === 'RestElement' ? property.argument : property.value, names);
    }
  } else if (p.type === 'RestElement') targets(p.argument, names);
  else if (p.type === 'AssignmentPattern') targets(p.left, names);
}
