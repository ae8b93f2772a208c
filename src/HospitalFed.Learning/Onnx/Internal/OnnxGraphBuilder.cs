using System.Runtime.InteropServices;
using Google.Protobuf;
using HospitalFed.Learning.Onnx.Proto;

namespace HospitalFed.Learning.Onnx.Internal;

/// <summary>
/// Appends float32 initializers, nodes, inputs and outputs to one ONNX graph, naming every
/// intermediate value once. Holds no I/O: the caller serialises the finished model.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The symbolic batch dimension of every input and output.</summary>
    public const string BatchDimension = "N";

    private readonly GraphProto _graph;
    private int _nodes;

    public OnnxGraphBuilder(string name) => _graph = new GraphProto { Name = name };

    public GraphProto Graph => _graph;

    /// <summary>Adds a float tensor constant; raw_data is little-endian IEEE 754 as the ONNX spec requires.</summary>
    public string Constant(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this exporter runs on little-endian machines only.");
        }

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node computing <paramref name="output"/> and returns that name.</summary>
    public string Node(string opType, string output, string[] inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType.ToLowerInvariant()}_{_nodes++}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>Declares a float32 graph input of shape [N, <paramref name="width"/>].</summary>
    public void Input(string name, int width, string doc) => _graph.Input.Add(Value(name, width, doc));

    /// <summary>Declares a float32 graph output of shape [N, <paramref name="width"/>].</summary>
    public void Output(string name, int width, string doc) => _graph.Output.Add(Value(name, width, doc));

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static ValueInfoProto Value(string name, int width, string doc)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            DocString = doc,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
