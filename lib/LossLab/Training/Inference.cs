using TorchSharp;
using static TorchSharp.torch;
using TensorDataset = LossLab.Data.TensorDataset;

namespace LossLab.Training;

/// <summary>Runs a model over a whole data set without gradients, in eval mode, batch by batch.</summary>
public static class Inference
{
    /// <summary>The model's outputs for every sample of <paramref name="data"/>, in order, (N, …). The model's
    /// training/eval mode is restored afterwards. The result belongs to the caller's dispose scope.</summary>
    public static Tensor Predict(nn.Module<Tensor, Tensor> model, TensorDataset data, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Map(model, model.forward, data, batchSize);
    }

    /// <summary><paramref name="map"/> (e.g. a model's Features) applied to every sample of <paramref name="data"/>, in
    /// order, with <paramref name="model"/> in eval mode and gradients off.</summary>
    public static Tensor Map(nn.Module model, Func<Tensor, Tensor> map, TensorDataset data, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var parts = new List<Tensor>();
            foreach (var (x, _) in data.Batches(batchSize, shuffle: false)) parts.Add(map(x));
            return cat(parts, 0).MoveToOuterDisposeScope();
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
