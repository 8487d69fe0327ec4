/**
 * @module versioning/_js-scopes
 * Scope analysis of an ECMAScript module (an acorn AST): which binding each identifier refers
 * to. Written for strict-mode modules (no `with`, block-scoped function declarations).
 */
import type {
  AnyNode,
  AssignmentProperty,
  Class,
  Function as FunctionNode,
  Identifier,
  Pattern,
  Program,
  VariableDeclaration,
} from 'acorn';

export type ScopeKind = 'module' | 'function' | 'block' | 'class';

export interface Scope {
  readonly kind: ScopeKind;
  readonly node: AnyNode;
  readonly parent: Scope | undefined;
  /** An arrow function's scope: `arguments` and `this` come from outside it. */
  readonly arrow: boolean;
  readonly bindings: Map<string, Binding>;
}

export interface Binding {
  name: string;
  readonly scope: Scope;
  /** The identifiers that declare it (empty for the implicit `arguments`). */
  readonly declarations: Identifier[];
}

export interface Reference {
  readonly id: Identifier;
  /** The innermost scope the identifier occurs in. */
  readonly scope: Scope;
  /** Undefined: a global (or a name bound nowhere). */
  binding: Binding | undefined;
}

/**
 * Identifiers that also spell a property or an imported/exported name (`{ a }`,
 * `export { a }`, `import { a }`): renaming one must keep that name (`{ a: b }`).
 */
export type AliasKind = 'property' | 'export' | 'import';

export interface ScopeAnalysis {
  readonly module: Scope;
  readonly scopes: Scope[];
  readonly references: Reference[];
  readonly aliases: ReadonlyMap<Identifier, AliasKind>;
}

/** Resolves every identifier reference of `program` to its binding. */
export function analyseScopes(program: Program): ScopeAnalysis {
  const walker = new Walker(program);
  walker.statements(program.body, walker.module);
  for (const reference of walker.references) reference.binding = lookup(reference);
  return {
    module: walker.module,
    scopes: walker.scopes,
    references: walker.references,
    aliases: walker.aliases,
  };
}

/** The binding `name` refers to from `scope`, if any. */
export function lookupName(scope: Scope | undefined, name: string): Binding | undefined {
  for (let s = scope; s !== undefined; s = s.parent) {
    const found = s.bindings.get(name);
    if (found !== undefined) return found;
  }
  return undefined;
}

function lookup(reference: Reference): Binding | undefined {
  return lookupName(reference.scope, reference.id.name);
}

/** Whether `inner` is `outer` or nested in it. */
export function within(inner: Scope | undefined, outer: Scope): boolean {
  for (let s = inner; s !== undefined; s = s.parent) if (s === outer) return true;
  return false;
}

type Node = AnyNode;

class Walker {
  readonly scopes: Scope[] = [];
  readonly references: Reference[] = [];
  readonly aliases = new Map<Identifier, AliasKind>();
  readonly module: Scope;

  constructor(program: Program) {
    this.module = this.scope('module', program, undefined);
  }

  scope(kind: ScopeKind, node: Node, parent: Scope | undefined, arrow = false): Scope {
    const scope: Scope = { kind, node, parent, arrow, bindings: new Map() };
    this.scopes.push(scope);
    return scope;
  }

  declare(id: Identifier, scope: Scope): void {
    const existing = scope.bindings.get(id.name);
    if (existing !== undefined) existing.declarations.push(id);
    else scope.bindings.set(id.name, { name: id.name, scope, declarations: [id] });
  }

  reference(id: Identifier, scope: Scope): void {
    this.references.push({ id, scope, binding: undefined });
  }

  statements(body: readonly Node[], scope: Scope): void {
    for (const statement of body) this.visit(statement, scope);
  }

  /** Visits a node in expression or statement position. */
  visit(node: Node | null | undefined, scope: Scope): void {
    if (node === null || node === undefined) return;
    switch (node.type) {
      case 'Identifier':
        this.reference(node, scope);
        return;
      case 'FunctionDeclaration':
        if (node.id) this.declare(node.id, scope);
        this.fn(node, scope);
        return;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.fn(node, scope);
        return;
      case 'ClassDeclaration':
        if (node.id) this.declare(node.id, scope);
        this.klass(node, scope);
        return;
      case 'ClassExpression':
        this.klass(node, scope);
        return;
      case 'VariableDeclaration':
        this.variables(node, scope);
        return;
      case 'BlockStatement':
      case 'StaticBlock':
        this.statements(
          node.body,
          this.scope(node.type === 'StaticBlock' ? 'function' : 'block', node, scope),
        );
        return;
      case 'ForStatement': {
        const inner = this.scope('block', node, scope);
        this.visit(node.init, inner);
        this.visit(node.test, inner);
        this.visit(node.update, inner);
        this.visit(node.body, inner);
        return;
      }
      case 'ForInStatement':
      case 'ForOfStatement': {
        const inner = this.scope('block', node, scope);
        if (node.left.type === 'VariableDeclaration') this.visit(node.left, inner);
        else this.target(node.left, inner);
        this.visit(node.right, inner);
        this.visit(node.body, inner);
        return;
      }
      case 'SwitchStatement': {
        this.visit(node.discriminant, scope);
        const inner = this.scope('block', node, scope);
        for (const c of node.cases) {
          this.visit(c.test, inner);
          this.statements(c.consequent, inner);
        }
        return;
      }
      case 'CatchClause': {
        const inner = this.scope('block', node, scope);
        if (node.param) this.pattern(node.param, inner, inner);
        this.statements(node.body.body, inner);
        return;
      }
      case 'ImportDeclaration':
        for (const specifier of node.specifiers) {
          this.declare(specifier.local, this.module);
          if (
            specifier.type === 'ImportSpecifier' &&
            specifier.imported.start === specifier.local.start
          )
            this.aliases.set(specifier.local, 'import');
        }
        return;
      case 'ExportNamedDeclaration':
        if (node.declaration) this.visit(node.declaration, scope);
        else if (!node.source) {
          for (const s of node.specifiers) {
            if (s.local.type !== 'Identifier') continue;
            this.reference(s.local, scope);
            if (s.exported.start === s.local.start) this.aliases.set(s.local, 'export');
          }
        }
        return;
      case 'ExportDefaultDeclaration':
        this.visit(node.declaration, scope);
        return;
      case 'ExportAllDeclaration':
        return;
      case 'MemberExpression':
        this.visit(node.object, scope);
        if (node.computed) this.visit(node.property, scope);
        return;
      case 'Property':
        if (node.shorthand && node.value.type === 'Identifier')
          this.aliases.set(node.value, 'property');
        if (node.computed) this.visit(node.key, scope);
        this.visit(node.value, scope);
        return;
      case 'AssignmentExpression':
        this.target(node.left, scope);
        this.visit(node.right, scope);
        return;
      case 'LabeledStatement':
        this.visit(node.body, scope);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'MetaProperty':
      case 'PrivateIdentifier':
      case 'Literal':
      case 'ThisExpression':
      case 'Super':
      case 'TemplateElement':
        return;
      default:
        this.children(node, scope);
        return;
    }
  }

  /** Every child node, in source order. */
  children(node: Node, scope: Scope): void {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'loc' || key === 'range') continue;
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) this.visit(item, scope);
      } else if (isNode(value)) {
        this.visit(value, scope);
      }
    }
  }

  fn(node: FunctionNode & { type: string }, outer: Scope): void {
    let parent = outer;
    if (node.type === 'FunctionExpression' && node.id) {
      // A named function expression sees its own name.
      parent = this.scope('block', node as Node, outer);
      this.declare(node.id, parent);
    }
    const arrow = node.type === 'ArrowFunctionExpression';
    const scope = this.scope('function', node as Node, parent, arrow);
    if (!arrow) scope.bindings.set('arguments', { name: 'arguments', scope, declarations: [] });
    for (const param of node.params) this.pattern(param, scope, scope);
    if (node.body.type === 'BlockStatement') this.statements(node.body.body, scope);
    else this.visit(node.body, scope);
  }

  klass(node: Class & { type: string }, outer: Scope): void {
    this.visit(node.superClass, outer);
    const scope = this.scope('class', node as Node, outer);
    if (node.id) this.declare(node.id, scope);
    for (const member of node.body.body) {
      if (member.type === 'StaticBlock') {
        this.visit(member, scope);
        continue;
      }
      if (member.computed) this.visit(member.key, scope);
      this.visit(member.value, scope);
    }
  }

  variables(node: VariableDeclaration, scope: Scope): void {
    const target = node.kind === 'var' ? functionScope(scope) : scope;
    for (const declarator of node.declarations) {
      this.pattern(declarator.id, target, scope);
      this.visit(declarator.init, scope);
    }
  }

  /** Declares the names a binding pattern binds in `target`; its defaults are read in `scope`. */
  pattern(node: Pattern, target: Scope, scope: Scope): void {
    switch (node.type) {
      case 'Identifier':
        this.declare(node, target);
        return;
      case 'ObjectPattern':
        for (const p of node.properties) {
          if (p.type === 'RestElement') this.pattern(p.argument, target, scope);
          else {
            this.shorthand(p);
            if (p.computed) this.visit(p.key, scope);
            this.pattern(p.value, target, scope);
          }
        }
        return;
      case 'ArrayPattern':
        for (const element of node.elements) if (element) this.pattern(element, target, scope);
        return;
      case 'AssignmentPattern':
        this.pattern(node.left, target, scope);
        this.visit(node.right, scope);
        return;
      case 'RestElement':
        this.pattern(node.argument, target, scope);
        return;
      default:
        // A member expression: only in assignment targets, read as an expression.
        this.visit(node, scope);
        return;
    }
  }

  /** Notes the identifier of a shorthand pattern property (`{ a }`, `{ a = 1 }`). */
  shorthand(p: AssignmentProperty): void {
    if (!p.shorthand) return;
    const value = p.value.type === 'AssignmentPattern' ? p.value.left : p.value;
    if (value.type === 'Identifier') this.aliases.set(value, 'property');
  }

  /** An assignment target: its identifiers are references (writes), not declarations. */
  target(node: Pattern, scope: Scope): void {
    switch (node.type) {
      case 'ObjectPattern':
        for (const p of node.properties) {
          if (p.type === 'RestElement') this.target(p.argument, scope);
          else {
            this.shorthand(p);
            if (p.computed) this.visit(p.key, scope);
            this.target(p.value, scope);
          }
        }
        return;
      case 'ArrayPattern':
        for (const element of node.elements) if (element) this.target(element, scope);
        return;
      case 'AssignmentPattern':
        this.target(node.left, scope);
        this.visit(node.right, scope);
        return;
      case 'RestElement':
        this.target(node.argument, scope);
        return;
      default:
        this.visit(node, scope);
        return;
    }
  }
}

function functionScope(scope: Scope): Scope {
  let s = scope;
  while (s.kind !== 'function' && s.kind !== 'module' && s.parent !== undefined) s = s.parent;
  return s;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}
