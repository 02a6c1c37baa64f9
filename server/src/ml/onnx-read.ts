import onnxProto from 'onnx-proto';
import { BadInputError } from '../errors/errors.ts';
import type { LinearModel } from './linear-model.ts';
import { parseLinearModel } from './linear-model-read.ts';
import { LINEAR_MODEL_METADATA } from './onnx-export-linear.ts';
import type { Ensemble, Tree } from './tree.ts';

const { onnx } = onnxProto;

/** Branch modes of ai.onnx.ml tree ensembles, as stored in Tree.mode (absent = all BRANCH_LEQ). */
export const BRANCH_MODES = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ'] as const;

export interface OnnxModelInfo {
  inputName: string;
  inputWidth: number | null;
  outputNames: string[];
  /** The trees when the graph's only node is a TreeEnsembleClassifier; null otherwise. */
  ensemble: Ensemble | null;
  /** Our logistic regression (LinearClassifier with its preprocessing), described in the file's metadata. */
  linear: LinearModel | null;
  /** Why `ensemble` is null, for a clear error when explain() is asked of such a model. */
  notTreeReason: string | null;
  /** Whether the file carried node covers (nodes_hitrates); without them TreeSHAP weighs both branches equally. */
  hasCovers: boolean;
  metadata: Record<string, string>;
}

type Long = { toNumber(): number };
const num = (v: number | Long): number => (typeof v === 'number' ? v : v.toNumber());

interface Attr {
  name?: string | null;
  ints?: (number | Long)[] | null;
  floats?: number[] | null;
  strings?: Uint8Array[] | null;
  s?: Uint8Array | null;
}

function attrMap(attributes: Attr[]) {
  const decoder = new TextDecoder();
  const byName = new Map(attributes.map((a) => [a.name ?? '', a]));
  return {
    ints: (name: string) => (byName.get(name)?.ints ?? []).map(num),
    floats: (name: string) => byName.get(name)?.floats ?? [],
    strings: (name: string) => (byName.get(name)?.strings ?? []).map((s) => decoder.decode(s)),
    text: (name: string) => {
      const s = byName.get(name)?.s;
      return s ? decoder.decode(s) : '';
    },
  };
}

export function readOnnx(bytes: Uint8Array): OnnxModelInfo {
  let model: ReturnType<typeof onnx.ModelProto.decode>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new BadInputError(`not an ONNX model: ${(error as Error).message}`);
  }
  const graph = model.graph;
  if (!graph) throw new BadInputError('ONNX model has no graph');
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((i) => !initializers.has(i.name ?? ''));
  const input = inputs[0];
  if (!input?.name) throw new BadInputError('ONNX model has no input');
  const shape = input.type?.tensorType?.shape?.dim ?? [];
  const last = shape[shape.length - 1];
  const inputWidth = last?.dimValue !== undefined && last.dimValue !== null ? num(last.dimValue as number | Long) : null;
  const metadata = Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  const outputNames = (graph.output ?? []).map((o) => o.name ?? '');
  const nodes = graph.node ?? [];
  const linearJson = metadata[LINEAR_MODEL_METADATA];
  const linear = linearJson !== undefined && nodes.some((n) => n.opType === 'LinearClassifier') ? parseLinearModel(linearJson) : null;
  if (linear && inputWidth && linear.nFeatures !== inputWidth) {
    throw new BadInputError(`ONNX model: the linear model reads ${linear.nFeatures} features but the input has ${inputWidth}`);
  }
  const info = { inputName: input.name, inputWidth: inputWidth || null, outputNames, metadata, linear };
  if (nodes.length !== 1 || nodes[0]?.opType !== 'TreeEnsembleClassifier') {
    return { ...info, ensemble: null, hasCovers: false, notTreeReason: 'the model is not a single TreeEnsembleClassifier node' };
  }
  const a = attrMap((nodes[0]?.attribute ?? []) as Attr[]);
  const post = a.text('post_transform') || 'NONE';
  const classIds = a.ints('class_ids');
  const labels = a.ints('classlabels_int64s').length || a.strings('classlabels_strings').length;
  if (labels !== 2) return { ...info, ensemble: null, hasCovers: false, notTreeReason: `the classifier has ${labels} classes, not 2` };
  // Binary models either score class 1 directly or carry one score (on class 0) that ORT maps to class 1.
  const scoredClass = classIds.includes(1) ? 1 : 0;
  const { ensemble, hasCovers } = buildEnsemble(a, scoredClass, info.inputWidth ?? 0);
  const base = a.floats('base_values');
  ensemble.baseScore = (scoredClass === 1 && base.length === 2 ? base[1] : base[0]) ?? 0;
  return {
    ...info,
    ensemble,
    hasCovers,
    notTreeReason: post === 'LOGISTIC' || post === 'NONE' ? null : `unsupported post_transform ${post}`,
  };
}

function buildEnsemble(a: ReturnType<typeof attrMap>, scoredClass: number, width: number): { ensemble: Ensemble; hasCovers: boolean } {
  const treeIds = a.ints('nodes_treeids');
  const nodeIds = a.ints('nodes_nodeids');
  const features = a.ints('nodes_featureids');
  const values = a.floats('nodes_values');
  const modes = a.strings('nodes_modes');
  const trueIds = a.ints('nodes_truenodeids');
  const falseIds = a.ints('nodes_falsenodeids');
  const missingTrue = a.ints('nodes_missing_value_tracks_true');
  const hitrates = a.floats('nodes_hitrates');
  const hasCovers = hitrates.length === treeIds.length && hitrates.every((h) => h > 0);
  const byTree = new Map<number, number[]>();
  treeIds.forEach((t, i) => {
    const list = byTree.get(t) ?? [];
    list.push(i);
    byTree.set(t, list);
  });
  const leafWeight = new Map<string, number>();
  const cTrees = a.ints('class_treeids');
  const cNodes = a.ints('class_nodeids');
  const cIds = a.ints('class_ids');
  const cWeights = a.floats('class_weights');
  cTrees.forEach((t, k) => {
    if (cIds[k] !== scoredClass) return;
    const key = `${t}:${cNodes[k]}`;
    leafWeight.set(key, (leafWeight.get(key) ?? 0) + (cWeights[k] ?? 0));
  });
  const trees: Tree[] = [];
  let maxFeature = width - 1;
  for (const [t, members] of [...byTree.entries()].sort((x, y) => x[0] - y[0])) {
    const local = new Map(members.map((i, k) => [nodeIds[i] as number, k]));
    const children = new Set<number>();
    const n = members.length;
    const tree: Tree & { mode: Uint8Array } = {
      feature: new Int32Array(n),
      threshold: new Float32Array(n),
      missingLeft: new Uint8Array(n),
      left: new Int32Array(n),
      right: new Int32Array(n),
      value: new Float64Array(n),
      cover: new Float64Array(n),
      mode: new Uint8Array(n),
    };
    members.forEach((i, k) => {
      const mode = modes[i] ?? 'LEAF';
      if (mode === 'LEAF') {
        tree.feature[k] = -1;
        tree.value[k] = leafWeight.get(`${t}:${nodeIds[i]}`) ?? 0;
      } else {
        const m = BRANCH_MODES.indexOf(mode as (typeof BRANCH_MODES)[number]);
        if (m < 0) throw new BadInputError(`ONNX tree ${t} uses unsupported mode ${mode}`);
        tree.mode[k] = m;
        tree.feature[k] = features[i] as number;
        maxFeature = Math.max(maxFeature, features[i] as number);
        tree.threshold[k] = values[i] as number;
        tree.missingLeft[k] = missingTrue[i] ?? 0;
        tree.left[k] = local.get(trueIds[i] as number) ?? -1;
        tree.right[k] = local.get(falseIds[i] as number) ?? -1;
        children.add(tree.left[k] as number);
        children.add(tree.right[k] as number);
      }
      tree.cover[k] = hasCovers ? (hitrates[i] as number) : 0;
    });
    trees.push(reroot(tree, children, hasCovers));
  }
  return { ensemble: { trees, baseScore: 0, nFeatures: maxFeature + 1 }, hasCovers };
}

/** Puts the root first (index 0) and, without covers, gives each branch half of its parent's weight. */
function reroot(tree: Tree & { mode: Uint8Array }, children: Set<number>, hasCovers: boolean): Tree {
  const n = tree.feature.length;
  let root = 0;
  for (let k = 0; k < n; k++) {
    if (!children.has(k)) {
      root = k;
      break;
    }
  }
  const order: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const k = stack.pop() as number;
    order.push(k);
    if ((tree.feature[k] as number) >= 0) stack.push(tree.right[k] as number, tree.left[k] as number);
  }
  const position = new Map(order.map((k, i) => [k, i]));
  const m = order.length;
  const out: Tree & { mode: Uint8Array } = {
    feature: new Int32Array(m),
    threshold: new Float32Array(m),
    missingLeft: new Uint8Array(m),
    left: new Int32Array(m),
    right: new Int32Array(m),
    value: new Float64Array(m),
    cover: new Float64Array(m),
    mode: new Uint8Array(m),
  };
  order.forEach((k, i) => {
    out.feature[i] = tree.feature[k] as number;
    out.threshold[i] = tree.threshold[k] as number;
    out.missingLeft[i] = tree.missingLeft[k] as number;
    out.value[i] = tree.value[k] as number;
    out.cover[i] = tree.cover[k] as number;
    out.mode[i] = tree.mode[k] as number;
    if ((tree.feature[k] as number) >= 0) {
      out.left[i] = position.get(tree.left[k] as number) as number;
      out.right[i] = position.get(tree.right[k] as number) as number;
    }
  });
  if (!hasCovers) {
    out.cover[0] = 1;
    for (let i = 0; i < m; i++) {
      if ((out.feature[i] as number) < 0) continue;
      out.cover[out.left[i] as number] = (out.cover[i] as number) / 2;
      out.cover[out.right[i] as number] = (out.cover[i] as number) / 2;
    }
  }
  if (out.mode.some((x) => x !== 0)) return out;
  const { mode: _allLeq, ...leqOnly } = out;
  return leqOnly;
}
