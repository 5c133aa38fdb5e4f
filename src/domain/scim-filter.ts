/**
 * A parsed SCIM filter (RFC 7644 §3.4.2.2), after the collection's own rules have accepted it:
 * the vocabulary between the management API, which parses and checks `filter`, and the store,
 * which compiles it to SQL. Attribute paths are in their canonical spelling (`population.id`),
 * operators lower case; a `valuePath` (`memberOfGroups[id eq "…"]`) is a `member` node.
 */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A JSON literal of the grammar: string, number, boolean or null. */
export type FilterValue = string | number | boolean | null;

export type FilterExpression =
  | { kind: 'compare'; attribute: string; operator: CompareOperator; value: FilterValue }
  | { kind: 'present'; attribute: string }
  | { kind: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'member'; attribute: string; filter: FilterExpression };
