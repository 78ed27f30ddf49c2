using TorchSharp;
using static TorchSharp.torch;

namespace LossLab;

/// <summary>Argument checks shared by the library. Each throws <see cref="ArgumentException"/> (or
/// <see cref="ArgumentOutOfRangeException"/>) naming the argument and giving the expected and actual shape, dtype or range.</summary>
public static class Guard
{
    /// <summary>Throws unless <paramref name="t"/> has <paramref name="dims"/> dimensions.</summary>
    public static void Rank(Tensor t, int dims, string name)
    {
        if (t.dim() != dims)
            throw new ArgumentException($"{name} must have {dims} dimension(s); got shape {Shape(t)}.", name);
    }

    /// <summary>Throws unless <paramref name="t"/> is a floating-point tensor.</summary>
    public static void Floating(Tensor t, string name)
    {
        if (!torch.is_floating_point(t))
            throw new ArgumentException($"{name} must be a floating-point tensor; got {t.dtype}.", name);
    }

    /// <summary>Throws unless <paramref name="t"/> holds integer class labels (int64 or int32).</summary>
    public static void Labels(Tensor t, string name)
    {
        if (t.dtype != ScalarType.Int64 && t.dtype != ScalarType.Int32)
            throw new ArgumentException($"{name} must be an integer (int64) label tensor; got {t.dtype}.", name);
    }

    /// <summary>Throws unless the labels lie in [0, <paramref name="numClasses"/>).</summary>
    public static void LabelRange(Tensor labels, long numClasses, string name)
    {
        if (labels.numel() == 0) return;
        long min = labels.min().item<long>(), max = labels.max().item<long>();
        if (min < 0 || max >= numClasses)
            throw new ArgumentOutOfRangeException(name, $"{name} must lie in [0, {numClasses}); got values from {min} to {max}.");
    }

    /// <summary>Throws unless (B, D) floating embeddings come with B integer labels.</summary>
    public static void EmbeddingsAndLabels(Tensor embeddings, Tensor labels, string embeddingsName = "embeddings", string labelsName = "labels")
    {
        Rank(embeddings, 2, embeddingsName);
        Floating(embeddings, embeddingsName);
        Rank(labels, 1, labelsName);
        Labels(labels, labelsName);
        if (labels.shape[0] != embeddings.shape[0])
            throw new ArgumentException(
                $"{labelsName} must have one label per row of {embeddingsName}: {embeddingsName} is {Shape(embeddings)}, {labelsName} is {Shape(labels)}.",
                labelsName);
    }

    /// <summary>Throws unless (N, C) floating logits come with N integer targets in [0, C).</summary>
    public static void LogitsAndTargets(Tensor logits, Tensor targets, string logitsName = "input", string targetsName = "target")
    {
        Rank(logits, 2, logitsName);
        Floating(logits, logitsName);
        Rank(targets, 1, targetsName);
        Labels(targets, targetsName);
        if (targets.shape[0] != logits.shape[0])
            throw new ArgumentException(
                $"{targetsName} must have one entry per row of {logitsName}: {logitsName} is {Shape(logits)}, {targetsName} is {Shape(targets)}.",
                targetsName);
        LabelRange(targets, logits.shape[1], targetsName);
    }

    /// <summary>Throws unless two tensors have the same shape.</summary>
    public static void SameShape(Tensor a, Tensor b, string aName, string bName)
    {
        if (!a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"{bName} must have the shape of {aName}: {aName} is {Shape(a)}, {bName} is {Shape(b)}.", bName);
    }

    /// <summary>Throws unless <paramref name="value"/> is positive and finite.</summary>
    public static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite.");

    /// <summary>Throws unless <paramref name="value"/> is non-negative and finite.</summary>
    public static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative and finite.");

    /// <summary>Throws unless <paramref name="value"/> lies in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static double InRange(double value, double low, double high, string name) =>
        value >= low && value <= high ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [{low}, {high}].");

    /// <summary>A shape as "[2, 3]".</summary>
    public static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
