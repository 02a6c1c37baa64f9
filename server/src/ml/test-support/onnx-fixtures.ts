import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const T = onnx.AttributeProto.AttributeType;
const enc = (s: string) => new TextEncoder().encode(s);

type AttrValue = number[] | string[] | string;
function attribute(name: string, value: AttrValue, kind: 'ints' | 'floats' | 'strings' | 'string') {
  if (kind === 'ints') return onnx.AttributeProto.create({ name, type: T.INTS, ints: value as number[] });
  if (kind === 'floats') return onnx.AttributeProto.create({ name, type: T.FLOATS, floats: value as number[] });
  if (kind === 'strings') return onnx.AttributeProto.create({ name, type: T.STRINGS, strings: (value as string[]).map(enc) });
  return onnx.AttributeProto.create({ name, type: T.STRING, s: enc(value as string) });
}

function model(opType: string, attributes: ReturnType<typeof attribute>[], width: number): Uint8Array {
  const tensor = (name: string, elemType: number, dims: (number | string)[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: onnx.TypeProto.create({
        tensorType: onnx.TypeProto.Tensor.create({
          elemType,
          shape: onnx.TensorShapeProto.create({
            dim: dims.map((d) =>
              typeof d === 'number'
                ? onnx.TensorShapeProto.Dimension.create({ dimValue: d })
                : onnx.TensorShapeProto.Dimension.create({ dimParam: d }),
            ),
          }),
        }),
      }),
    });
  const DT = onnx.TensorProto.DataType;
  const graph = onnx.GraphProto.create({
    name: 'byo',
    node: [onnx.NodeProto.create({ opType, domain: 'ai.onnx.ml', input: ['X'], output: ['label', 'probs'], attribute: attributes })],
    input: [tensor('X', DT.FLOAT, ['N', width])],
    output: [tensor('label', DT.INT64, ['N']), tensor('probs', DT.FLOAT, ['N', 2])],
  });
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [
        onnx.OperatorSetIdProto.create({ domain: '', version: 17 }),
        onnx.OperatorSetIdProto.create({ domain: 'ai.onnx.ml', version: 3 }),
      ],
      graph,
    }),
  ).finish();
}

/**
 * A "foreign" decision tree as scikit-learn exporters write it: BRANCH_LT, class probabilities on both
 * classes, no post-transform, no hit rates. x0 < 2.5 → (x1 < 0.5 → 0.1, else 0.6); else 0.9.
 */
export function foreignTreeOnnx(): Uint8Array {
  return model(
    'TreeEnsembleClassifier',
    [
      attribute('nodes_treeids', [0, 0, 0, 0, 0], 'ints'),
      attribute('nodes_nodeids', [0, 1, 2, 3, 4], 'ints'),
      attribute('nodes_featureids', [0, 1, 0, 0, 0], 'ints'),
      attribute('nodes_values', [2.5, 0.5, 0, 0, 0], 'floats'),
      attribute('nodes_modes', ['BRANCH_LT', 'BRANCH_LT', 'LEAF', 'LEAF', 'LEAF'], 'strings'),
      attribute('nodes_truenodeids', [1, 2, 0, 0, 0], 'ints'),
      attribute('nodes_falsenodeids', [4, 3, 0, 0, 0], 'ints'),
      attribute('nodes_missing_value_tracks_true', [0, 0, 0, 0, 0], 'ints'),
      attribute('class_treeids', [0, 0, 0, 0, 0, 0], 'ints'),
      attribute('class_nodeids', [2, 2, 3, 3, 4, 4], 'ints'),
      attribute('class_ids', [0, 1, 0, 1, 0, 1], 'ints'),
      attribute('class_weights', [0.9, 0.1, 0.4, 0.6, 0.1, 0.9], 'floats'),
      attribute('classlabels_int64s', [0, 1], 'ints'),
      attribute('post_transform', 'NONE', 'string'),
    ],
    2,
  );
}

/** A logistic regression (LinearClassifier): servable, but not a tree ensemble, so it cannot be explained. */
export function linearOnnx(): Uint8Array {
  return model(
    'LinearClassifier',
    [
      attribute('coefficients', [-1, -2, 1, 2], 'floats'),
      attribute('intercepts', [0.5, -0.5], 'floats'),
      attribute('classlabels_ints', [0, 1], 'ints'),
      attribute('post_transform', 'SOFTMAX', 'string'),
    ],
    2,
  );
}
