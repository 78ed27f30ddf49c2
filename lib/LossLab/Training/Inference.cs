using TorchSharp;
using static TorchSharp.torch;
using LabeledTensors = LossLab.Data.LabeledTensors;

namespace LossLab.Training;

/// <summary>Runs a model over a whole data set without gradients, in eval mode, batch by batch. The data may live on any
/// device: each batch is moved to the model's device (<see cref="Trainer.ModelDevice"/>) and the outputs come back to
/// the data's device, so CPU data gives CPU outputs whatever device the model runs on.</summary>
public static class Inference
{
    /// <summary>The model's outputs for every sample of <paramref name="data"/>, in order, (N, …). The model's
    /// training/eval mode is restored afterwards. The result belongs to the caller's dispose scope.</summary>
    public static Tensor Predict(nn.Module<Tensor, Tensor> model, LabeledTensors data, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Map(model, model.forward, data, batchSize);
    }

    /// <summary><paramref name="map"/> (e.g. a model's Features) applied to every sample of <paramref name="data"/>, in
    /// order, with <paramref name="model"/> in eval mode and gradients off; each batch is moved to the model's device and
    /// the result is on the data's device.</summary>
    public static Tensor Map(nn.Module model, Func<Tensor, Tensor> map, LabeledTensors data, int batchSize = 1024)
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
            var modelDevice = Trainer.ModelDevice(model);
            var dataDevice = data.Features.device;
            var parts = new List<Tensor>();
            foreach (var (x, _) in data.Batches(batchSize, shuffle: false))
                parts.Add(Trainer.OnDevice(map(Trainer.OnDevice(x, modelDevice)), dataDevice));
            return cat(parts, 0).MoveToOuterDisposeScope();
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
