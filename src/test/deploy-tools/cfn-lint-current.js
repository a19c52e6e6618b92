// cfn-lint (npm, 1.9.7) with a current CloudFormation resource specification (@aws-cdk/cfnspec) instead of its
// bundled one from 2019, which refuses properties AWS added since (StreamModeDetails, ErrorOutputPrefix,
// DataFormatConversionConfiguration, ...). Usage: node cfn-lint-current.js TEMPLATE [NAME=VALUE ...]
// Parameter values are what the template is checked with. Prints one line per problem; exit 1 on any error.
// The template is linted as CloudFormation would create it with those values: conditions evaluated, resources and
// outputs whose condition is false left out, Fn::If replaced by its branch, AWS::NoValue dropped. So each choice
// of a parameter like DeliverySource is checked on its own (a reference to a resource it leaves out is refused),
// and the linter never meets an Fn::If as a list element, which it mishandles (every later resource fails).
const path = require('path');

const bundled = require.resolve('cfn-lint/data/aws_resources_specification.json');
const current = require('@aws-cdk/cfnspec/spec/specification.json');
require.cache[bundled] = { id: bundled, filename: bundled, loaded: true, exports: current };
const api = require('cfn-lint/lib/api');

const [template, ...assignments] = process.argv.slice(2);
if (!template) {
  console.error('usage: node cfn-lint-current.js TEMPLATE [NAME=VALUE ...]');
  process.exit(2);
}
const parameters = Object.fromEntries(assignments.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
const result = api.validateJsonObject(resolveConditions(require('cfn-lint/lib/parser').openFile(path.resolve(template)),
  parameters), { parameters });
for (const kind of ['crit', 'warn', 'info']) {
  for (const problem of result.errors[kind] || []) {
    console.log(`${kind}: ${problem.resource}: ${problem.message}`);
  }
}
console.error(`${path.basename(template)}: ${result.templateValid ? 'valid' : 'invalid'}, ${(result.errors.crit || []).length} errors`);
process.exit(result.templateValid ? 0 : 1);

function resolveConditions(doc, values) {
  const conditions = doc.Conditions || {};
  const value = (name) => {
    if (name in values) return values[name];
    const parameter = (doc.Parameters || {})[name];
    return parameter && 'Default' in parameter ? String(parameter.Default) : undefined;
  };
  const evaluate = (node) => {
    if (typeof node !== 'object' || node === null) return String(node);
    const [fn] = Object.keys(node);
    const args = node[fn];
    switch (fn) {
      case 'Ref': return value(args);
      case 'Condition': return evaluate(conditions[args]);
      case 'Fn::Equals': return evaluate(args[0]) === evaluate(args[1]);
      case 'Fn::Not': return !evaluate(args[0]);
      case 'Fn::And': return args.every(evaluate);
      case 'Fn::Or': return args.some(evaluate);
      default: return node; // left for the linter to judge
    }
  };
  const holds = (name) => evaluate({ Condition: name }) === true;
  const NONE = Symbol('NoValue');
  const resolve = (node) => {
    if (Array.isArray(node)) return node.map(resolve).filter((item) => item !== NONE);
    if (typeof node !== 'object' || node === null) return node;
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'Fn::If' && Array.isArray(node['Fn::If']) && node['Fn::If'].length === 3
        && node['Fn::If'][0] in conditions) {
      return resolve(holds(node['Fn::If'][0]) ? node['Fn::If'][1] : node['Fn::If'][2]);
    }
    if (keys.length === 1 && keys[0] === 'Ref' && node.Ref === 'AWS::NoValue') return NONE;
    const out = {};
    for (const key of keys) {
      const resolved = resolve(node[key]);
      if (resolved !== NONE) out[key] = resolved;
    }
    return out;
  };
  const kept = (section) => Object.fromEntries(Object.entries(section || {})
    .filter(([, item]) => !(typeof item.Condition === 'string' && item.Condition in conditions && !holds(item.Condition)))
    .map(([name, item]) => [name, resolve(item)]));
  const out = { ...doc };
  if (doc.Resources) out.Resources = kept(doc.Resources);
  if (doc.Outputs) out.Outputs = kept(doc.Outputs);
  return out;
}
