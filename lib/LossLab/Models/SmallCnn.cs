using LossLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Models;

/// <summary>
/// A small convolutional classifier for one-channel square images of 8×8 (digits) or 28×28 (MNIST) pixels:
/// [conv 3×3 (padding 1) → ReLU → max-pool 2×2] × 2 → flatten → linear → ReLU (the features h) → linear head.
/// With c₁, c₂ channels, s the image side, H hidden units and C classes it has
/// 10c₁ + (9c₁ + 1)c₂ + (c₂s²/16 + 1)H + (H + 1)C parameters. Inputs may be (B, 1, s, s), (B, s, s) or (B, s²).
/// </summary>
public sealed class SmallCnn : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv1, conv2;
    readonly Linear hidden, head;

    /// <summary>Builds the network for <paramref name="imageSize"/>×<paramref name="imageSize"/> images.</summary>
    /// <param name="imageSize">The side s of the square image: 8 or 28.</param>
    /// <param name="classes">The number of classes C.</param>
    /// <param name="channels1">Channels of the first convolution, c₁.</param>
    /// <param name="channels2">Channels of the second convolution, c₂.</param>
    /// <param name="hiddenSize">The width H of the feature layer.</param>
    /// <exception cref="ArgumentOutOfRangeException">imageSize is not 8 or 28, or a size is below 1.</exception>
    public SmallCnn(int imageSize = 8, int classes = 10, int channels1 = 16, int channels2 = 32, int hiddenSize = 64)
        : base(nameof(SmallCnn))
    {
        if (imageSize is not (8 or 28)) throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "imageSize must be 8 or 28.");
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 1.");
        if (channels1 < 1) throw new ArgumentOutOfRangeException(nameof(channels1), channels1, "channels1 must be at least 1.");
        if (channels2 < 1) throw new ArgumentOutOfRangeException(nameof(channels2), channels2, "channels2 must be at least 1.");
        if (hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "hiddenSize must be at least 1.");
        TorchRuntime.EnsureConfigured();   // convolutions must not run on oneDNN (wrong input gradients)
        ImageSize = imageSize;
        FeatureSize = hiddenSize;
        conv1 = nn.Conv2d(1, channels1, 3, padding: 1);
        conv2 = nn.Conv2d(channels1, channels2, 3, padding: 1);
        int side = imageSize / 4;
        hidden = nn.Linear(channels2 * side * side, hiddenSize);
        head = nn.Linear(hiddenSize, classes);
        RegisterComponents();
    }

    /// <summary>The image side s.</summary>
    public int ImageSize { get; }

    /// <summary>The size of the penultimate representation, H.</summary>
    public int FeatureSize { get; }

    /// <summary>The classifier layer.</summary>
    public Linear Head => head;

    /// <summary>The penultimate representation h(x), (B, H).</summary>
    public Tensor Features(Tensor x)
    {
        var h = nn.functional.max_pool2d(nn.functional.relu(conv1.forward(AsImages(x))), 2);
        h = nn.functional.max_pool2d(nn.functional.relu(conv2.forward(h)), 2);
        return nn.functional.relu(hidden.forward(h.flatten(1)));
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x) => head.forward(Features(x));

    Tensor AsImages(Tensor x)
    {
        long s = ImageSize;
        return x.dim() switch
        {
            4 when x.shape[1] == 1 && x.shape[2] == s && x.shape[3] == s => x,
            3 when x.shape[1] == s && x.shape[2] == s => x.unsqueeze(1),
            2 when x.shape[1] == s * s => x.view(-1, 1, s, s),
            _ => throw new ArgumentException($"x must be (B, 1, {s}, {s}), (B, {s}, {s}) or (B, {s * s}); got {Guard.Shape(x)}.", nameof(x)),
        };
    }
}
