using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>
/// How the metrics read tensors: predictions are either class scores (N, C) of any floating type (logits or
/// probabilities; the prediction is the arg-max of each row) or class indices (N) of an integer type; labels are integer
/// class indices (N). Tensors are read on the CPU and not modified or disposed.
/// </summary>
internal static class ClassificationInputs
{
    public static long[] Predictions(Tensor logitsOrPredictions, string name)
    {
        ArgumentNullException.ThrowIfNull(logitsOrPredictions, name);
        if (logitsOrPredictions.dim() == 2)
        {
            Guard.Floating(logitsOrPredictions, name);
            using var argmax = logitsOrPredictions.argmax(1);
            using var cpu = argmax.cpu();
            return cpu.data<long>().ToArray();
        }
        if (logitsOrPredictions.dim() == 1)
        {
            Guard.Labels(logitsOrPredictions, name);
            using var cpu = logitsOrPredictions.to_type(ScalarType.Int64).cpu();
            return cpu.data<long>().ToArray();
        }
        throw new ArgumentException(
            $"{name} must be class scores (N, C) or predicted classes (N); got shape {Guard.Shape(logitsOrPredictions)}.", name);
    }

    public static long[] Labels(Tensor labels, string name)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        Guard.Rank(labels, 1, name);
        Guard.Labels(labels, name);
        using var cpu = labels.to_type(ScalarType.Int64).cpu();
        return cpu.data<long>().ToArray();
    }

    public static void SameLength(int predictions, int labels, string predictionsName, string labelsName)
    {
        if (predictions != labels)
            throw new ArgumentException($"{labelsName} must have one entry per prediction: {predictionsName} has {predictions}, {labelsName} has {labels}.", labelsName);
        if (labels == 0)
            throw new ArgumentException($"{labelsName} must hold at least one sample.", labelsName);
    }

    public static void InRange(ReadOnlySpan<long> values, int numClasses, string name)
    {
        for (int i = 0; i < values.Length; i++)
            if (values[i] < 0 || values[i] >= numClasses)
                throw new ArgumentOutOfRangeException(name, $"{name} must lie in [0, {numClasses}); found {values[i]} at index {i}.");
    }
}
