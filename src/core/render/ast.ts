/** The parts of the Handlebars AST (as `Handlebars.parse` returns it) that our rewrite reads and builds. */
export interface Loc {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export interface PathNode {
  type: 'PathExpression';
  data: boolean;
  depth: number;
  parts: string[];
  original: string;
  loc: Loc;
}

export interface LiteralNode {
  type: 'StringLiteral' | 'NumberLiteral' | 'BooleanLiteral' | 'UndefinedLiteral' | 'NullLiteral';
  value?: unknown;
  original?: unknown;
  loc: Loc;
}

export interface HashNode {
  type: 'Hash';
  pairs: { key: string; value: ExprNode }[];
  loc: Loc;
}

/** A helper call or a lookup: `{{x a b}}`, `(x a b)`, `{{#x a}}…{{/x}}`. */
export interface CallNode {
  type: 'MustacheStatement' | 'SubExpression' | 'BlockStatement';
  path: ExprNode;
  params: ExprNode[];
  hash?: HashNode;
  program?: ProgramNode;
  inverse?: ProgramNode;
  loc: Loc;
}

export type ExprNode = PathNode | LiteralNode | CallNode;

export interface OtherStatement {
  type: 'ContentStatement' | 'CommentStatement' | 'PartialStatement' | 'PartialBlockStatement' | 'Decorator' | 'DecoratorBlock';
  loc: Loc;
}

export type StatementNode = CallNode | OtherStatement;

export interface ProgramNode {
  type: 'Program';
  body: StatementNode[];
  blockParams?: string[];
  loc?: Loc;
}

export function pathNode(parts: string[], original: string, loc: Loc, data = false, depth = 0): PathNode {
  return { type: 'PathExpression', data, depth, parts, original, loc };
}

export function stringNode(value: string, loc: Loc): LiteralNode {
  return { type: 'StringLiteral', value, original: value, loc };
}

export function callNode(helper: string, params: ExprNode[], loc: Loc): CallNode {
  return { type: 'SubExpression', path: pathNode([helper], helper, loc), params, loc };
}

/** `this.x`, `./x`, `this` and `..`-paths never name a helper. */
export function isScoped(path: PathNode): boolean {
  return /^(\.|this\b)/.test(path.original);
}
