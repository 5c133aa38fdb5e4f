/**
 * Evaluates a parsed expression over a JSON data model. Values stay JSON (strings, numbers,
 * booleans, null, arrays, objects); properties are read only as own members of plain data, so
 * no JavaScript prototype, constructor or global is ever reachable. Every node visited and every
 * collection element walked costs a step, and strings and collections built are bounded
 * (EXPRESSION_LIMITS): past a bound the evaluation stops with an EvaluationError.
 */
import type { BinaryOperator, JsonValue, Node, TemplatePart } from './ast.js';
import { EvaluationError } from './errors.js';
import { HELPERS } from './helpers/index.js';
import type { HelperEnvironment } from './helpers/types.js';
import { sameValue } from './helpers/values.js';
import { EXPRESSION_LIMITS } from './limits.js';

export interface EvaluationInput {
  /** The data model: `{ user: {...}, context: {...} }`. */
  root: JsonValue;
  now: Date;
}

/** Evaluates a whole mapping value; a single placeholder keeps its JSON type. */
export function evaluateTemplate(parts: readonly TemplatePart[], input: EvaluationInput): JsonValue {
  const run = new Run(input);
  const only = parts.length === 1 ? parts[0] : undefined;
  const result = only && 'expression' in only ? run.eval(only.expression, input.root) : parts.map((p) => ('text' in p ? p.text : run.text(run.eval(p.expression, input.root)))).join('');
  run.checkResult(result);
  return result;
}

/** Evaluates one expression (without `${…}`). */
export function evaluateExpression(node: Node, input: EvaluationInput): JsonValue {
  const run = new Run(input);
  const result = run.eval(node, input.root);
  run.checkResult(result);
  return result;
}

class Run {
  private steps = 0;
  private readonly env: HelperEnvironment;

  constructor(private readonly input: EvaluationInput) {
    this.env = { now: input.now, step: (count) => this.step(count) };
  }

  step(count = 1): void {
    this.steps += count;
    if (this.steps > EXPRESSION_LIMITS.maxSteps) throw new EvaluationError('the expression took too many steps', true);
  }

  eval(node: Node, current: JsonValue): JsonValue {
    this.step();
    switch (node.type) {
      case 'literal':
        return node.value;
      case 'list':
        return node.items.map((item) => this.eval(item, current));
      case 'map':
        return this.map(node, current);
      case 'root':
        return this.input.root;
      case 'this':
        return current;
      case 'name':
        return property(current, node.name, false);
      case 'property':
        return property(this.eval(node.target, current), node.name, node.safe || !node.ofLiteral);
      case 'index':
        return index(this.eval(node.target, current), this.eval(node.index, current), !node.ofLiteral);
      case 'select':
        return this.select(node.mode, this.eval(node.target, current), node.predicate);
      case 'project':
        return this.project(this.eval(node.target, current), node.body);
      case 'call':
        return this.call(node.library, node.fn, node.args.map((a) => this.eval(a, current)));
      case 'not':
        return !this.boolean(this.eval(node.operand, current), '!');
      case 'negate':
        return -this.number(this.eval(node.operand, current), '-');
      case 'binary':
        return this.binary(node.op, node.left, node.right, current);
      case 'ternary':
        return this.boolean(this.eval(node.test, current), '?') ? this.eval(node.then, current) : this.eval(node.otherwise, current);
      case 'elvis': {
        const left = this.eval(node.left, current);
        return left === null || left === '' ? this.eval(node.right, current) : left;
      }
    }
  }

  private map(node: Node & { type: 'map' }, current: JsonValue): JsonValue {
    const out: { [key: string]: JsonValue } = {};
    for (const entry of node.entries) {
      const key = this.eval(entry.key, current);
      // PingOne's "Maps and objects": null keys are discarded.
      if (key === null) continue;
      if (typeof key !== 'string' && typeof key !== 'number') throw new EvaluationError('a map key must be a string or a number');
      define(out, String(key), this.eval(entry.value, current));
    }
    return out;
  }

  private select(mode: 'all' | 'first' | 'last', target: JsonValue, predicate: Node): JsonValue {
    const items = this.collection(target, 'selection');
    const matches: JsonValue[] = [];
    for (const item of items) {
      if (this.boolean(this.eval(predicate, item), 'selection')) {
        if (mode === 'first') return item;
        matches.push(item);
      }
    }
    if (mode === 'all') return matches;
    return matches.length > 0 ? (matches[matches.length - 1] as JsonValue) : null;
  }

  private project(target: JsonValue, body: Node): JsonValue {
    return this.collection(target, 'projection').map((item) => this.eval(body, item));
  }

  private collection(target: JsonValue, what: string): JsonValue[] {
    if (!Array.isArray(target)) throw new EvaluationError(`${what} applies to a list`);
    if (target.length > EXPRESSION_LIMITS.maxCollectionSize) throw new EvaluationError(`${what} over too large a list`, true);
    this.step(target.length);
    return target;
  }

  private call(library: string, fn: string, args: JsonValue[]): JsonValue {
    const helper = HELPERS[`${library}.${fn}`];
    if (!helper) throw new EvaluationError(`#${library}.${fn} is not a helper`);
    const result = helper.call(args, this.env);
    this.checkSize(result);
    return result;
  }

  private binary(op: BinaryOperator, leftNode: Node, rightNode: Node, current: JsonValue): JsonValue {
    if (op === 'and') return this.boolean(this.eval(leftNode, current), 'and') && this.boolean(this.eval(rightNode, current), 'and');
    if (op === 'or') return this.boolean(this.eval(leftNode, current), 'or') || this.boolean(this.eval(rightNode, current), 'or');
    const left = this.eval(leftNode, current);
    const right = this.eval(rightNode, current);
    switch (op) {
      case '+':
        if (typeof left === 'string' || typeof right === 'string') return this.concat(this.text(left), this.text(right));
        return this.number(left, '+') + this.number(right, '+');
      case '-':
        return this.number(left, '-') - this.number(right, '-');
      case '*':
        return this.number(left, '*') * this.number(right, '*');
      case '/':
      case '%': {
        const divisor = this.number(right, op);
        if (divisor === 0) throw new EvaluationError('division by zero');
        return op === '/' ? this.number(left, op) / divisor : this.number(left, op) % divisor;
      }
      case '==':
        return sameValue(left, right, this.env);
      case '!=':
        return !sameValue(left, right, this.env);
      default:
        return compare(op, left, right);
    }
  }

  private concat(left: string, right: string): string {
    if (left.length + right.length > EXPRESSION_LIMITS.maxStringLength) throw new EvaluationError('the expression built too long a string', true);
    return left + right;
  }

  /** SpEL's string conversion for concatenation: null is "null", collections as JSON. */
  text(value: JsonValue): string {
    if (typeof value === 'string') return value;
    if (value === null || typeof value !== 'object') return String(value);
    this.checkResult(value);
    return JSON.stringify(value);
  }


  private boolean(value: JsonValue, what: string): boolean {
    if (typeof value !== 'boolean') throw new EvaluationError(`${what} takes a boolean`);
    return value;
  }

  private number(value: JsonValue, what: string): number {
    if (typeof value !== 'number') throw new EvaluationError(`${what} takes numbers`);
    return value;
  }

  private checkSize(value: JsonValue): void {
    if (typeof value === 'string' && value.length > EXPRESSION_LIMITS.maxStringLength) throw new EvaluationError('a string is too long', true);
    if (Array.isArray(value) && value.length > EXPRESSION_LIMITS.maxCollectionSize) throw new EvaluationError('a list is too long', true);
  }

  /**
   * The result's size as JSON, walked with a budget: lists and maps may share members, so a
   * small evaluation could describe a huge document; such a result is refused.
   */
  checkResult(value: JsonValue): void {
    let budget = EXPRESSION_LIMITS.maxStringLength;
    const walk = (v: JsonValue, depth: number): void => {
      if (depth > EXPRESSION_LIMITS.maxDepth * 2) throw new EvaluationError('the result is nested too deeply', true);
      if (typeof v === 'string') budget -= v.length + 2;
      else if (v === null || typeof v !== 'object') budget -= 8;
      else if (Array.isArray(v)) {
        budget -= 2;
        for (const item of v) {
          if (budget < 0) break;
          walk(item, depth + 1);
        }
      } else {
        budget -= 2;
        for (const [k, item] of Object.entries(v)) {
          if (budget < 0) break;
          budget -= k.length + 3;
          walk(item, depth + 1);
        }
      }
      if (budget < 0) throw new EvaluationError('the result is too large', true);
    };
    walk(value, 0);
  }
}

/** An own member of plain data; anything inherited (constructor, __proto__, …) is absent. */
function own(target: object, key: string): JsonValue {
  return Object.hasOwn(target, key) ? ((target as Record<string, JsonValue>)[key] as JsonValue) : null;
}

/** Sets a member without ever invoking the `__proto__` setter. */
function define(target: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A property of an object. PingOne's expression language navigates safely on its data: a
 * property of null is null (`user.address.city` when `address` is null; "Disabled SpEL
 * features"), except on an object literal, where a missing property is an error as in SpEL
 * (`lenient` false), unless written `?.`.
 */
function property(target: JsonValue, name: string, lenient: boolean): JsonValue {
  if (target === null) {
    if (lenient) return null;
    throw new EvaluationError(`property ${name} of null`);
  }
  if (typeof target !== 'object' || Array.isArray(target)) throw new EvaluationError(`property ${name} of a ${Array.isArray(target) ? 'list' : typeof target}`);
  if (!lenient && !Object.hasOwn(target, name)) throw new EvaluationError(`the object literal has no property ${name}`);
  return own(target, name);
}

/** An item of a list or string, or a member of a map; of null, null on the data (as `property`). */
function index(target: JsonValue, key: JsonValue, lenient: boolean): JsonValue {
  if (target === null) {
    if (lenient) return null;
    throw new EvaluationError('index of null');
  }
  if (Array.isArray(target) || typeof target === 'string') {
    if (typeof key !== 'number' || !Number.isInteger(key)) throw new EvaluationError('a list index must be an integer');
    if (key < 0 || key >= target.length) return null;
    return target[key] as JsonValue;
  }
  if (typeof target === 'object') {
    if (key === null) return null;
    if (typeof key !== 'string' && typeof key !== 'number') throw new EvaluationError('a map key must be a string');
    return own(target, String(key));
  }
  throw new EvaluationError('index of a value that is not a list, a map or a string');
}

function compare(op: BinaryOperator, left: JsonValue, right: JsonValue): boolean {
  const comparable = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) throw new EvaluationError(`${op} compares two numbers or two strings`);
  const l = left as number | string;
  const r = right as number | string;
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    default:
      return l >= r;
  }
}
