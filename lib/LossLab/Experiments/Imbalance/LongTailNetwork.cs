using LossLab.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Experiments.Imbalance;

/// <summary>
/// A body (inputs → features h) followed by a classifier head (h → logits) of a chosen <see cref="HeadKind"/>. The body
/// is built first, then the head, so with torch's generator fixed every arm of a seed gets the same body weights whatever
/// its head. The features are what neural-collapse and Fisher-ratio measurements read; the head's rows are the classifier
/// rows whose norms the long-tail literature compares with class size.
/// </summary>
public sealed class LongTailNetwork : nn.Module<Tensor, Tensor>
{
    readonly nn.Module<Tensor, Tensor> body;
    readonly nn.Module<Tensor, Tensor> head;

    /// <summary>A network of <paramref name="body"/> (whose output has <paramref name="featureSize"/> features) and a new
    /// head of <paramref name="kind"/> with <paramref name="outputs"/> logits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">featureSize or outputs is below 1, or kind is not a <see cref="HeadKind"/>.</exception>
    public LongTailNetwork(nn.Module<Tensor, Tensor> body, int featureSize, int outputs, HeadKind kind) : base(nameof(LongTailNetwork))
    {
        ArgumentNullException.ThrowIfNull(body);
        if (featureSize < 1) throw new ArgumentOutOfRangeException(nameof(featureSize), featureSize, "featureSize must be at least 1.");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "outputs must be at least 1.");
        this.body = body;
        head = kind switch
        {
            HeadKind.Linear => nn.Linear(featureSize, outputs),
            HeadKind.NormedLinear => new NormedLinear(featureSize, outputs),
            HeadKind.BiasFreeLinear => nn.Linear(featureSize, outputs, hasBias: false),
            _ => throw UnknownHead(kind, nameof(kind)),
        };
        Kind = kind;
        RegisterComponents();
    }

    /// <summary>The head's kind.</summary>
    public HeadKind Kind { get; }

    /// <summary>The body, inputs → features.</summary>
    public nn.Module<Tensor, Tensor> Body => body;

    /// <summary>The classifier head, features → logits.</summary>
    public nn.Module<Tensor, Tensor> Head => head;

    /// <summary>W, the head's weight (C, D): one row per class.</summary>
    public Tensor HeadWeight => head switch { Linear l => l.weight!, NormedLinear n => n.weight, _ => throw new InvalidOperationException("unreachable") };

    /// <summary>b, the head's bias (C), or null for a head without one.</summary>
    public Tensor? HeadBias => head is Linear l ? l.bias : null;

    /// <summary>The features h of <paramref name="x"/>.</summary>
    public Tensor Features(Tensor x) => body.forward(x);

    /// <inheritdoc/>
    public override Tensor forward(Tensor x) => head.forward(body.forward(x));

    /// <summary>An MLP body widths[0] → … → widths[^1] with a ReLU after every layer (so its features are the last
    /// hidden activations, as in <see cref="LossLab.Models.Mlp"/>, which it matches layer for layer and in initialisation).</summary>
    public static nn.Module<Tensor, Tensor> MlpBody(params int[] widths) => Layers(widths, bias: true, relu: true);

    /// <summary>A deep linear body: bias-free linear layers widths[0] → … → widths[^1], no activation.</summary>
    public static nn.Module<Tensor, Tensor> LinearBody(params int[] widths) => Layers(widths, bias: false, relu: false);

    static nn.Module<Tensor, Tensor> Layers(int[] widths, bool bias, bool relu)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Length < 2 || widths.Any(w => w < 1))
            throw new ArgumentException($"widths must hold at least two positive sizes (input and features); got [{string.Join(", ", widths)}].", nameof(widths));
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            layers.Add(($"linear{i}", nn.Linear(widths[i], widths[i + 1], hasBias: bias)));
            if (relu) layers.Add(($"act{i}", nn.ReLU()));
        }
        return nn.Sequential(layers);
    }

    internal static ArgumentOutOfRangeException UnknownHead(HeadKind kind, string paramName) =>
        new(paramName, kind, $"unknown head {(int)kind}; the heads are {string.Join(", ", Enum.GetNames<HeadKind>())}.");
}
