using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>Evaluation passes of a classifier over a data set: logits in eval mode, without gradients, batch by batch.</summary>
public static class ModelOutputs
{
    /// <summary>The logits (N, C) of <paramref name="model"/> on <paramref name="data"/>, as a detached float64 CPU
    /// tensor in the caller's dispose scope. The model's training flag is restored afterwards.</summary>
    public static Tensor Logits(nn.Module<Tensor, Tensor> model, LabeledTensors data, int batchSize = 1024) =>
        Apply(model.call, model, data, batchSize);

    /// <summary>The outputs of any function of the inputs (e.g. penultimate features), concatenated, float64 on the CPU.</summary>
    public static Tensor Apply(Func<Tensor, Tensor> function, nn.Module model, LabeledTensors data, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be ≥ 1.");
        if (data.Count == 0) throw new ArgumentException("data must hold at least one sample.", nameof(data));
        bool training = model.training;
        model.eval();
        var parts = new List<Tensor>();
        try
        {
            using var _ = no_grad();
            foreach (var (x, _) in data.Batches(batchSize, shuffle: false))
            {
                using var scope = NewDisposeScope();
                parts.Add(function(x).detach().to_type(ScalarType.Float64).cpu().MoveToOuterDisposeScope());
            }
            return cat(parts.ToArray());
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
            if (training) model.train();
        }
    }

    /// <summary>Accuracy in percent of <paramref name="model"/> on <paramref name="data"/>.</summary>
    /// <remarks>SalUn reports accuracies in percent; this is <see cref="LossLab.Evaluation.ClassificationMetrics.Accuracy(Tensor, Tensor)"/> × 100.</remarks>
    public static double AccuracyPercent(nn.Module<Tensor, Tensor> model, LabeledTensors data)
    {
        using var scope = NewDisposeScope();
        return 100.0 * LossLab.Evaluation.ClassificationMetrics.Accuracy(Logits(model, data), data.Labels.cpu());
    }
}
