using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Models;

/// <summary>
/// A multilayer perceptron: widths (d₀, d₁, …, d_L) give L linear layers; each hidden layer is
/// Linear → [normalisation] → activation → [dropout], and the last is a linear head. <see cref="Features"/> returns the
/// penultimate representation h (the head's input), for neural-collapse measurements and linear probes; forward(x) =
/// head(h(x)). Inputs of more than two dimensions are flattened after the batch dimension.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    readonly Sequential body;
    readonly Linear head;

    /// <summary>Builds the MLP with layer widths <paramref name="widths"/> (input, hidden…, output), e.g. [64, 256, 10].</summary>
    /// <param name="widths">At least two positive widths: the input size, any hidden sizes, and the number of outputs.</param>
    /// <param name="activation">The hidden nonlinearity.</param>
    /// <param name="normalization">The normalisation after each hidden linear layer.</param>
    /// <param name="dropout">The dropout probability after each hidden activation, in [0, 1).</param>
    /// <exception cref="ArgumentException">Fewer than two widths, or a width below 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dropout"/> outside [0, 1).</exception>
    public Mlp(IReadOnlyList<int> widths, Activation activation = Activation.ReLU,
        Normalization normalization = Normalization.None, double dropout = 0) : base(nameof(Mlp))
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count < 2)
            throw new ArgumentException($"widths must hold at least the input and output sizes; got [{string.Join(", ", widths)}].", nameof(widths));
        if (widths.Any(w => w < 1))
            throw new ArgumentException($"widths must all be positive; got [{string.Join(", ", widths)}].", nameof(widths));
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must lie in [0, 1).");
        var w = widths.ToArray();
        Widths = w;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i + 2 < w.Length; i++)
        {
            layers.Add(($"linear{i}", nn.Linear(w[i], w[i + 1])));
            if (normalization == Normalization.BatchNorm) layers.Add(($"norm{i}", nn.BatchNorm1d(w[i + 1])));
            else if (normalization == Normalization.LayerNorm) layers.Add(($"norm{i}", nn.LayerNorm(w[i + 1])));
            layers.Add(($"act{i}", Layers.Activation(activation)));
            if (dropout > 0) layers.Add(($"dropout{i}", nn.Dropout(dropout)));
        }
        body = nn.Sequential(layers);
        head = nn.Linear(w[^2], w[^1]);
        RegisterComponents();
    }

    /// <summary>The layer widths (input, hidden…, output).</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>The size of the penultimate representation (the head's input).</summary>
    public int FeatureSize => Widths[^2];

    /// <summary>The last linear layer (classifier weights W, (classes, features)).</summary>
    public Linear Head => head;

    /// <summary>The penultimate representation h(x), (B, <see cref="FeatureSize"/>).</summary>
    public Tensor Features(Tensor x) => body.forward(Flatten(x));

    /// <inheritdoc/>
    public override Tensor forward(Tensor x) => head.forward(Features(x));

    Tensor Flatten(Tensor x)
    {
        if (x.dim() < 2) throw new ArgumentException($"x must be (B, {Widths[0]}) or (B, …) with {Widths[0]} features per sample; got {Guard.Shape(x)}.", nameof(x));
        var flat = x.dim() == 2 ? x : x.flatten(1);
        if (flat.shape[1] != Widths[0])
            throw new ArgumentException($"x must have {Widths[0]} features per sample; got shape {Guard.Shape(x)}.", nameof(x));
        return flat;
    }
}
