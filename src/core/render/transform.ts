import { callNode, isScoped, pathNode, stringNode, type CallNode, type ExprNode, type PathNode, type ProgramNode } from './ast.js';
import { positionOf, type Position } from './errors.js';
import { BLOCK_HELPERS, TOLERANT_FIRST_ARG, publicHelpers } from './helpers.js';
import { INTERNAL } from './lookup.js';

export interface LeafProblem {
  code: string;
  message: string;
  pos?: Position;
  hint?: string;
}

export interface LeafAnalysis {
  /** Root variable names the string reads. */
  uses: Set<string>;
  problems: LeafProblem[];
  usesToday: boolean;
}

/** `@data` names we provide: ours, plus Handlebars' own (`@root`, and `@index`/`@key`/`@first`/`@last` in lists). */
const KNOWN_DATA = new Set(['now', 'today', 'notification', 'run_id', 'slot', 'timezone', 'root', 'index', 'key', 'first', 'last']);

/**
 * Rewrites a parsed template in place so that every variable path goes through our lookup helpers (strict,
 * own properties only, errors that name the path) and every output through a text check; and records which
 * root variables it reads. `asNames` are the `$each` element names visible to this string.
 */
export function analyzeTemplate(ast: ProgramNode, asNames: ReadonlySet<string>): LeafAnalysis {
  const rewriter = new Rewriter(asNames);
  rewriter.program(ast);
  return { uses: rewriter.uses, problems: rewriter.problems, usesToday: rewriter.usesToday };
}

function describe(expr: ExprNode | undefined): string | undefined {
  if (!expr) return undefined;
  if (expr.type === 'PathExpression') return expr.original;
  return expr.type === 'SubExpression' && expr.path.type === 'PathExpression' ? `(${expr.path.original} …)` : 'a literal';
}

class Rewriter {
  uses = new Set<string>();
  problems: LeafProblem[] = [];
  usesToday = false;
  /** How many context-changing blocks (#each, #with) enclose the current node. */
  private level = 0;
  private blockParams: string[][] = [];

  constructor(private readonly asNames: ReadonlySet<string>) {}

  program(p: ProgramNode): void {
    for (const s of p.body) {
      if (s.type === 'MustacheStatement') this.mustache(s);
      else if (s.type === 'BlockStatement') this.block(s);
      else if (s.type !== 'ContentStatement' && s.type !== 'CommentStatement') {
        const what = s.type.startsWith('Partial') ? 'partials' : 'decorators';
        this.problem('render/unsupported', `${what} are not supported`, s.loc);
      }
    }
  }

  private mustache(m: CallNode): void {
    const helper = this.helperName(m.path);
    if (helper !== undefined) {
      this.args(helper, m);
      m.params = [{ ...m, type: 'SubExpression' }, stringNode(helper, m.path.loc)];
      m.path = pathNode([INTERNAL.str], INTERNAL.str, m.path.loc);
    } else if (m.params.length > 0 || m.hash) {
      this.unknownHelper(m.path);
    } else if (m.path.type === 'PathExpression') {
      m.params = this.lookupArgs(m.path);
      const helper = m.params.length === 3 && !(m.params[0] as PathNode).data ? INTERNAL.key : INTERNAL.out;
      m.path = pathNode([helper], helper, m.path.loc);
    } else {
      // `{{"text"}}`: Handlebars would look the literal up as a name; we print it.
      m.params = [m.path, stringNode('a literal', m.path.loc)];
      m.path = pathNode([INTERNAL.str], INTERNAL.str, m.path.loc);
    }
    m.loc = m.path.loc;
  }

  private block(b: CallNode): void {
    const p = b.path;
    const name = p.type === 'PathExpression' && !p.data && p.parts.length === 1 && !isScoped(p) ? p.parts[0] : undefined;
    if (name === undefined || !BLOCK_HELPERS.has(name)) {
      const shown = p.type === 'PathExpression' ? p.original : 'this';
      this.problem('render/unsupported', `block "${shown}" is not supported`, p.loc, 'use #each, #if, #unless or #with');
      return;
    }
    const listName = name === 'each' ? describe(b.params[0]) : undefined;
    this.args(name, b);
    const list = b.params[0];
    // Handlebars' #each quietly skips a text or a number; we want the same error as `$each`.
    if (listName !== undefined && list) b.params[0] = callNode(INTERNAL.list, [list, stringNode(listName, list.loc)], list.loc);
    const declared = b.program?.blockParams ?? [];
    for (const bp of declared) {
      if (Object.hasOwn(publicHelpers, bp)) this.problem('render/bad-block-param', `block parameter "${bp}" hides the helper of that name`, p.loc);
    }
    const changesContext = name === 'each' || name === 'with';
    if (b.program) {
      if (changesContext) this.level++;
      this.blockParams.push(declared);
      this.program(b.program);
      this.blockParams.pop();
      if (changesContext) this.level--;
    }
    if (b.inverse) this.program(b.inverse);
  }

  private helperName(expr: ExprNode): string | undefined {
    if (expr.type !== 'PathExpression' || expr.data || expr.depth > 0 || expr.parts.length !== 1 || isScoped(expr)) return undefined;
    const name = expr.parts[0] as string;
    return Object.hasOwn(publicHelpers, name) ? name : undefined;
  }

  private args(helper: string, call: CallNode): void {
    call.params = call.params.map((p, i) => this.value(p, i === 0 && TOLERANT_FIRST_ARG.has(helper)));
    for (const pair of call.hash?.pairs ?? []) pair.value = this.value(pair.value, false);
  }

  /** An argument: a path becomes a strict (or, where optional values are allowed, tolerant) lookup call. */
  private value(expr: ExprNode, tolerant: boolean): ExprNode {
    if (expr.type === 'SubExpression') return this.subexpression(expr, tolerant);
    if (expr.type !== 'PathExpression') return expr;
    const args = this.lookupArgs(expr);
    const base = args[0] as PathNode;
    // A bare block parameter or `this` always has a value; Handlebars can pass it straight through.
    if (args.length === 2 && !base.data) return base;
    return callNode(tolerant ? INTERNAL.opt : INTERNAL.path, args, expr.loc);
  }

  private subexpression(s: CallNode, tolerant: boolean): ExprNode {
    const helper = this.helperName(s.path);
    if (helper !== undefined) {
      this.args(helper, s);
      return s;
    }
    if (s.params.length > 0 || s.hash || s.path.type !== 'PathExpression') {
      this.unknownHelper(s.path);
      return s;
    }
    return this.value(s.path, tolerant);
  }

  /** `[base, "original text", ...keys]` for our lookup helpers; records root variable uses. */
  private lookupArgs(path: PathNode): ExprNode[] {
    const { loc, parts, depth } = path;
    const name = stringNode(path.original, loc);
    const keys = (from: number) => parts.slice(from).map((k) => stringNode(k, loc));
    const head = parts[0];
    if (path.data) {
      if (head === undefined || !KNOWN_DATA.has(head)) {
        this.problem('render/unknown-data', `unknown data variable "${path.original}"`, loc, `known: ${[...KNOWN_DATA].map((d) => `@${d}`).join(', ')}`);
      }
      if (head === 'today') this.usesToday = true;
      if (head === 'root' && parts[1] !== undefined) this.use(parts[1]);
      return [pathNode(head === undefined ? [] : [head], `@${head}`, loc, true, depth), name, ...keys(1)];
    }
    if (head !== undefined && depth === 0 && !isScoped(path) && this.blockParams.some((ps) => ps.includes(head))) {
      return [pathNode([head], head, loc), name, ...keys(1)];
    }
    if (head !== undefined && this.level === depth) this.use(head);
    const base = depth === 0 ? pathNode([], 'this', loc) : pathNode([], Array(depth).fill('..').join('/'), loc, false, depth);
    return [base, name, ...keys(0)];
  }

  private use(name: string): void {
    if (!this.asNames.has(name)) this.uses.add(name);
  }

  private unknownHelper(path: ExprNode): void {
    const shown = path.type === 'PathExpression' ? path.original : String((path as { original?: unknown }).original);
    this.problem('render/unknown-helper', `unknown helper "${shown}"`, path.loc, `helpers: ${Object.keys(publicHelpers).join(', ')}`);
  }

  private problem(code: string, message: string, loc: CallNode['loc'] | undefined, hint?: string): void {
    const p: LeafProblem = { code, message };
    const pos = positionOf(loc);
    if (pos) p.pos = pos;
    if (hint !== undefined) p.hint = hint;
    this.problems.push(p);
  }
}
