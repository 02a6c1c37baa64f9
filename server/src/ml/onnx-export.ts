import onnxProto from 'onnx-proto';
import type { Ensemble } from './tree.ts';

const { onnx } = onnxProto;
const AttrType = onnx.AttributeProto.AttributeType;

export const ONNX_INPUT = 'features';
export const ONNX_LABEL = 'label';
export const ONNX_PROBABILITIES = 'probabilities';

function ints(name: string, values: number[]) {
  return onnx.AttributeProto.create({ name, type: AttrType.INTS, ints: values });
}
function floats(name: string, values: number[]) {
  return onnx.AttributeProto.create({ name, type: AttrType.FLOATS, floats: values });
}
function strings(name: string, values: string[]) {
  const encoder = new TextEncoder();
  return onnx.AttributeProto.create({ name, type: AttrType.STRINGS, strings: values.map((v) => encoder.encode(v)) });
}
function text(name: string, value: string) {
  return onnx.AttributeProto.create({ name, type: AttrType.STRING, s: new TextEncoder().encode(value) });
}

/** The TreeEnsembleClassifier's parallel node and leaf-weight arrays, one entry per node / leaf. */
interface TreeArrays {
  nodeTree: number[];
  nodeId: number[];
  nodeFeature: number[];
  nodeValue: number[];
  nodeMode: string[];
  nodeTrue: number[];
  nodeFalse: number[];
  nodeMissingTrue: number[];
  nodeHitrate: number[];
  classTree: number[];
  classNode: number[];
  classIds: number[];
  classWeights: number[];
}

function emptyArrays(): TreeArrays {
  return {
    nodeTree: [],
    nodeId: [],
    nodeFeature: [],
    nodeValue: [],
    nodeMode: [],
    nodeTrue: [],
    nodeFalse: [],
    nodeMissingTrue: [],
    nodeHitrate: [],
    classTree: [],
    classNode: [],
    classIds: [],
    classWeights: [],
  };
}

function pushLeaf(a: TreeArrays, t: number, i: number, cover: number, weight: number): void {
  a.nodeTree.push(t);
  a.nodeId.push(i);
  a.nodeHitrate.push(cover);
  a.nodeFeature.push(0);
  a.nodeValue.push(0);
  a.nodeMode.push('LEAF');
  a.nodeTrue.push(0);
  a.nodeFalse.push(0);
  a.nodeMissingTrue.push(0);
  a.classTree.push(t);
  a.classNode.push(i);
  a.classIds.push(0);
  a.classWeights.push(weight);
}

function pushBranch(
  a: TreeArrays,
  t: number,
  i: number,
  cover: number,
  branch: { feature: number; threshold: number; left: number; right: number; missingLeft: number },
): void {
  a.nodeTree.push(t);
  a.nodeId.push(i);
  a.nodeHitrate.push(cover);
  a.nodeFeature.push(branch.feature);
  a.nodeValue.push(branch.threshold);
  a.nodeMode.push('BRANCH_LEQ');
  a.nodeTrue.push(branch.left);
  a.nodeFalse.push(branch.right);
  a.nodeMissingTrue.push(branch.missingLeft);
}

function treeArrays(ensemble: Ensemble): TreeArrays {
  const a = emptyArrays();
  ensemble.trees.forEach((tree, t) => {
    for (let i = 0; i < tree.feature.length; i++) {
      const f = tree.feature[i] as number;
      const cover = tree.cover[i] as number;
      if (f < 0) pushLeaf(a, t, i, cover, tree.value[i] as number);
      else
        pushBranch(a, t, i, cover, {
          feature: f,
          threshold: tree.threshold[i] as number,
          left: tree.left[i] as number,
          right: tree.right[i] as number,
          missingLeft: tree.missingLeft[i] as number,
        });
    }
  });
  // A model with no tree still needs one (a single leaf of 0) to be a valid TreeEnsembleClassifier.
  if (ensemble.trees.length === 0) pushLeaf(a, 0, 0, 1, 0);
  return a;
}

function classifierNode(a: TreeArrays, baseScore: number) {
  return onnx.NodeProto.create({
    name: 'closewise_gbdt',
    opType: 'TreeEnsembleClassifier',
    domain: 'ai.onnx.ml',
    input: [ONNX_INPUT],
    output: [ONNX_LABEL, ONNX_PROBABILITIES],
    attribute: [
      ints('nodes_treeids', a.nodeTree),
      ints('nodes_nodeids', a.nodeId),
      ints('nodes_featureids', a.nodeFeature),
      floats('nodes_values', a.nodeValue),
      strings('nodes_modes', a.nodeMode),
      ints('nodes_truenodeids', a.nodeTrue),
      ints('nodes_falsenodeids', a.nodeFalse),
      ints('nodes_missing_value_tracks_true', a.nodeMissingTrue),
      floats('nodes_hitrates', a.nodeHitrate),
      ints('class_treeids', a.classTree),
      ints('class_nodeids', a.classNode),
      ints('class_ids', a.classIds),
      floats('class_weights', a.classWeights),
      ints('classlabels_int64s', [0, 1]),
      floats('base_values', [baseScore]),
      text('post_transform', 'LOGISTIC'),
    ],
  });
}

export function valueInfo(name: string, elemType: number, shape: (number | string)[]) {
  const dim = shape.map((v) =>
    typeof v === 'number'
      ? onnx.TensorShapeProto.Dimension.create({ dimValue: v })
      : onnx.TensorShapeProto.Dimension.create({ dimParam: v }),
  );
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({ tensorType: onnx.TypeProto.Tensor.create({ elemType, shape: onnx.TensorShapeProto.create({ dim }) }) }),
  });
}

/**
 * The ensemble as one ai.onnx.ml TreeEnsembleClassifier (opset 3): binary, one score per leaf on class 0,
 * LOGISTIC post-transform, base score in base_values. ORT then outputs label [N] and probabilities [N, 2]
 * with column 1 = σ(margin). Node covers ride in nodes_hitrates, so TreeSHAP can be rebuilt from the file.
 */
export function ensembleToOnnx(ensemble: Ensemble, metadata: Record<string, string> = {}): Uint8Array {
  const DataType = onnx.TensorProto.DataType;
  const graph = onnx.GraphProto.create({
    name: 'closewise',
    node: [classifierNode(treeArrays(ensemble), ensemble.baseScore)],
    input: [valueInfo(ONNX_INPUT, DataType.FLOAT, ['N', ensemble.nFeatures])],
    output: [valueInfo(ONNX_LABEL, DataType.INT64, ['N']), valueInfo(ONNX_PROBABILITIES, DataType.FLOAT, ['N', 2])],
  });
  return onnxModel(graph, metadata);
}

/** A model file around a graph: IR 8, default opset 17 and ai.onnx.ml opset 3 (what ONNX Runtime web runs). */
export function onnxModel(graph: ReturnType<typeof onnx.GraphProto.create>, metadata: Record<string, string>): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'closewise',
    producerVersion: '1',
    opsetImport: [
      onnx.OperatorSetIdProto.create({ domain: '', version: 17 }),
      onnx.OperatorSetIdProto.create({ domain: 'ai.onnx.ml', version: 3 }),
    ],
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
