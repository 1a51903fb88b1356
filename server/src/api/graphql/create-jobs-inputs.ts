import { randomUUID } from 'node:crypto';
import {
  getNullableType,
  getOperationAST,
  isInputObjectType,
  isLeafType,
  isNonNullType,
  Kind,
  type GraphQLInputObjectType,
  type GraphQLLeafType,
  type GraphQLSchema,
  type TypeNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** The input type of createJobs' list. */
const INPUT_TYPE = 'CreateJobInput';

/** How one field of the input type is coerced. */
interface FieldPlan {
  name: string;
  /** The leaf type whose parseValue coerces a value (String, Int or an enum). */
  leaf: GraphQLLeafType;
  required: boolean;
  defaultValue: unknown;
}

/**
 * The fields of the input type, in definition order, or null when one of them is not a leaf (the
 * list is then left to GraphQL's own coercion).
 */
function planOf(type: GraphQLInputObjectType): FieldPlan[] | null {
  const plan: FieldPlan[] = [];
  for (const field of Object.values(type.getFields())) {
    const required = isNonNullType(field.type);
    const named = getNullableType(field.type);
    if (!isLeafType(named)) return null;
    plan.push({ name: field.name, leaf: named, required, defaultValue: field.defaultValue });
  }
  return plan;
}

/**
 * Coerces one input as GraphQL would (defaults filled, values through their type's parseValue, keys
 * in definition order), or returns undefined when GraphQL would refuse it: the list then takes
 * GraphQL's own path, which words the refusal.
 */
function coerceInput(plan: readonly FieldPlan[], known: ReadonlySet<string>, input: unknown): Record<string, unknown> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const given = input as Record<string, unknown>;
  for (const key in given) if (!known.has(key)) return undefined;
  const coerced: Record<string, unknown> = {};
  for (const field of plan) {
    const value = given[field.name];
    if (value === undefined) {
      if (field.defaultValue !== undefined) coerced[field.name] = field.defaultValue;
      else if (field.required) return undefined;
    } else if (value === null) {
      if (field.required) return undefined;
      coerced[field.name] = null;
    } else {
      let parsed: unknown;
      try {
        parsed = field.leaf.parseValue(value);
      } catch {
        return undefined;
      }
      if (parsed === undefined) return undefined;
      coerced[field.name] = parsed;
    }
  }
  return coerced;
}

/** Whether a variable is declared `[CreateJobInput!]!`, the type of createJobs' `inputs`. */
function isInputList(type: TypeNode): boolean {
  if (type.kind !== Kind.NON_NULL_TYPE || type.type.kind !== Kind.LIST_TYPE) return false;
  const item = type.type.type;
  return item.kind === Kind.NON_NULL_TYPE && item.type.kind === Kind.NAMED_TYPE && item.type.name.value === INPUT_TYPE;
}

/** Lists coerced ahead of execution, per operation context, under the placeholder that stands for each. */
const coercedLists = new WeakMap<object, Map<string, Record<string, unknown>[]>>();

/**
 * The list createJobs was given: the one coerced ahead of execution when `inputs` is its
 * placeholder (one input whose required fields, schedule and api, hold the token), else `inputs`.
 */
export function createJobsInputs(context: object, inputs: readonly unknown[]): readonly unknown[] {
  const first = inputs.length === 1 ? (inputs[0] as { schedule?: unknown }) : null;
  if (typeof first?.schedule !== 'string') return inputs;
  return coercedLists.get(context)?.get(first.schedule) ?? inputs;
}

/**
 * Coerces createJobs' input list ahead of execution. GraphQL's own coercion of a variable walks
 * every field of the input type for every input and copies each input twice, ~20 µs an input,
 * which at 10,000 inputs outweighs creating the jobs. Here each input is checked and coerced with
 * the same types' parseValue in one pass, and the variable is replaced by a one-input
 * placeholder whose schedule is a random token; the createJobs resolver swaps the coerced list
 * back in (createJobsInputs). A list GraphQL would refuse anywhere is left untouched, so its
 * errors stay GraphQL's own, word for word.
 */
export function useCreateJobsInputs(schema: GraphQLSchema): Plugin {
  const type = schema.getType(INPUT_TYPE);
  const plan = type && isInputObjectType(type) ? planOf(type) : null;
  if (plan === null) return {};
  const known = new Set(plan.map((field) => field.name));
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const variables = args.variableValues;
      if (!variables) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const lists = new Map<string, Record<string, unknown>[]>();
      let replaced: Record<string, unknown> | undefined;
      for (const definition of operation.variableDefinitions ?? []) {
        const name = definition.variable.name.value;
        const list = variables[name];
        if (!isInputList(definition.type) || !Array.isArray(list) || list.length === 0) continue;
        const coerced: Record<string, unknown>[] = [];
        for (const input of list) {
          const one = coerceInput(plan, known, input);
          if (one === undefined) break;
          coerced.push(one);
        }
        if (coerced.length !== list.length) continue;
        const token = `\u0000${randomUUID()}`;
        lists.set(token, coerced);
        replaced = { ...(replaced ?? variables), [name]: [{ schedule: token, api: token }] };
      }
      if (replaced === undefined) return;
      const variableValues = replaced;
      setExecuteFn((executionArgs) => {
        coercedLists.set(executionArgs.contextValue as object, lists);
        return executeFn({ ...executionArgs, variableValues });
      });
    },
  };
}
