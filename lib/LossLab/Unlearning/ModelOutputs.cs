using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>Evaluation passes of a classifier over a data set: logits in eval mode, without gradients, batch by batch.</summary>
public static class ModelOutputs
{
    /// <summary>The logits (N, C) of <paramref name="model"/> on <paramref name="data"/>, as a detached float64 CPU
    /// tensor in the caller's dispose scope. The model's training flag is restored afterwards.</summary>
    public static Tensor Logits(nn.Module<Tensor, Tensor> model, TensorDataset data, int batchSize = 1024) =>
        Apply(model.call, model, data, batchSize);

    /// <summary>The outputs of any function of the inputs (e.g. penultimate features), concatenated, float64 on the CPU.</summary>
    public static Tensor Apply(Func<Tensor, Tensor> function, nn.Module model, TensorDataset data, int batchSize = 1024)
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

    /// <summary>Accuracy in percent (0–100) of logits (N, C) against labels (N); 0 samples is an error.</summary>
    internal static double AccuracyPercent(Tensor logits, Tensor labels)
    {
        Guard.LogitsAndTargets(logits, labels, nameof(logits), nameof(labels));
        if (labels.shape[0] == 0) throw new ArgumentException("labels must hold at least one sample.", nameof(labels));
        using var scope = NewDisposeScope();
        return 100.0 * logits.argmax(1).eq(labels.to(logits.device)).to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>Accuracy in percent of <paramref name="model"/> on <paramref name="data"/>.</summary>
    internal static double AccuracyPercent(nn.Module<Tensor, Tensor> model, TensorDataset data)
    {
        using var scope = NewDisposeScope();
        return AccuracyPercent(Logits(model, data), data.Labels.cpu());
    }
}
