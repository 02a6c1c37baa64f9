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

/**
 * The ensemble as one ai.onnx.ml TreeEnsembleClassifier (opset 3): binary, one score per leaf on class 0,
 * LOGISTIC post-transform, base score in base_values. ORT then outputs label [N] and probabilities [N, 2]
 * with column 1 = σ(margin). Node covers ride in nodes_hitrates, so TreeSHAP can be rebuilt from the file.
 */
export function ensembleToOnnx(ensemble: Ensemble, metadata: Record<string, string> = {}): Uint8Array {
  const nodeTree: number[] = [];
  const nodeId: number[] = [];
  const nodeFeature: number[] = [];
  const nodeValue: number[] = [];
  const nodeMode: string[] = [];
  const nodeTrue: number[] = [];
  const nodeFalse: number[] = [];
  const nodeMissingTrue: number[] = [];
  const nodeHitrate: number[] = [];
  const classTree: number[] = [];
  const classNode: number[] = [];
  const classIds: number[] = [];
  const classWeights: number[] = [];
  ensemble.trees.forEach((tree, t) => {
    for (let i = 0; i < tree.feature.length; i++) {
      const f = tree.feature[i] as number;
      nodeTree.push(t);
      nodeId.push(i);
      nodeHitrate.push(tree.cover[i] as number);
      if (f < 0) {
        nodeFeature.push(0);
        nodeValue.push(0);
        nodeMode.push('LEAF');
        nodeTrue.push(0);
        nodeFalse.push(0);
        nodeMissingTrue.push(0);
        classTree.push(t);
        classNode.push(i);
        classIds.push(0);
        classWeights.push(tree.value[i] as number);
      } else {
        nodeFeature.push(f);
        nodeValue.push(tree.threshold[i] as number);
        nodeMode.push('BRANCH_LEQ');
        nodeTrue.push(tree.left[i] as number);
        nodeFalse.push(tree.right[i] as number);
        nodeMissingTrue.push(tree.missingLeft[i] as number);
      }
    }
  });
  if (ensemble.trees.length === 0) {
    // A model with no tree still needs one (a single leaf of 0) to be a valid TreeEnsembleClassifier.
    nodeTree.push(0);
    nodeId.push(0);
    nodeFeature.push(0);
    nodeValue.push(0);
    nodeMode.push('LEAF');
    nodeTrue.push(0);
    nodeFalse.push(0);
    nodeMissingTrue.push(0);
    nodeHitrate.push(1);
    classTree.push(0);
    classNode.push(0);
    classIds.push(0);
    classWeights.push(0);
  }
  const node = onnx.NodeProto.create({
    name: 'closewise_gbdt',
    opType: 'TreeEnsembleClassifier',
    domain: 'ai.onnx.ml',
    input: [ONNX_INPUT],
    output: [ONNX_LABEL, ONNX_PROBABILITIES],
    attribute: [
      ints('nodes_treeids', nodeTree),
      ints('nodes_nodeids', nodeId),
      ints('nodes_featureids', nodeFeature),
      floats('nodes_values', nodeValue),
      strings('nodes_modes', nodeMode),
      ints('nodes_truenodeids', nodeTrue),
      ints('nodes_falsenodeids', nodeFalse),
      ints('nodes_missing_value_tracks_true', nodeMissingTrue),
      floats('nodes_hitrates', nodeHitrate),
      ints('class_treeids', classTree),
      ints('class_nodeids', classNode),
      ints('class_ids', classIds),
      floats('class_weights', classWeights),
      ints('classlabels_int64s', [0, 1]),
      floats('base_values', [ensemble.baseScore]),
      text('post_transform', 'LOGISTIC'),
    ],
  });
  const F = ensemble.nFeatures;
  const DataType = onnx.TensorProto.DataType;
  const dims = (values: (number | string)[]) =>
    onnx.TensorShapeProto.create({
      dim: values.map((v) =>
        typeof v === 'number'
          ? onnx.TensorShapeProto.Dimension.create({ dimValue: v })
          : onnx.TensorShapeProto.Dimension.create({ dimParam: v }),
      ),
    });
  const valueInfo = (name: string, elemType: number, shape: (number | string)[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: onnx.TypeProto.create({ tensorType: onnx.TypeProto.Tensor.create({ elemType, shape: dims(shape) }) }),
    });
  const graph = onnx.GraphProto.create({
    name: 'closewise',
    node: [node],
    input: [valueInfo(ONNX_INPUT, DataType.FLOAT, ['N', F])],
    output: [valueInfo(ONNX_LABEL, DataType.INT64, ['N']), valueInfo(ONNX_PROBABILITIES, DataType.FLOAT, ['N', 2])],
  });
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
