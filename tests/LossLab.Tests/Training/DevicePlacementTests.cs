using LossLab.Data;
using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Training;

/// <summary>Where tensors go: the device chosen from <c>LOSSLAB_DEVICE</c> or an argument (a device that is not
/// available is an error naming it and what is available), and the trainer and inference moving every batch to the
/// model's device. On a CPU-only machine the meta device (shapes without data) stands in for a GPU: the data stays on
/// the CPU, the model is elsewhere, and each batch must arrive where the model is.</summary>
public class DevicePlacementTests
{
    static readonly Device Meta = new(DeviceType.META);

    sealed class RecordingObjective : IGradientObjective
    {
        public List<(DeviceType Inputs, DeviceType Targets, long Rows)> Seen { get; } = [];
        public Tensor Loss(Batch batch) => throw new NotSupportedException("Backward records the batch instead.");
        public double Backward(Batch batch)
        {
            Seen.Add((batch.Inputs.device_type, batch.Targets.device_type, batch.Inputs.shape[0]));
            return 1.0;   // writes no gradient: the optimizer leaves parameters without one alone
        }
    }

    [Fact]
    public void Fit_FitSteps_and_TrainStep_hand_the_objective_batches_on_the_models_device()
    {
        var model = nn.Linear(3, 2).to(Meta);
        var objective = new RecordingObjective();
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.1), objective) { Seed = 1 };
        Assert.Equal(DeviceType.META, trainer.Device.type);
        using var data = new LabeledTensors(randn(10, 3), zeros(10, ScalarType.Int64));

        Assert.Equal(TrainingStatus.Completed, trainer.Fit(data, untilEpoch: 1, batchSize: 4).Status);        // steps 0–2
        Assert.Equal(TrainingStatus.Completed, trainer.FitSteps(_ => (randn(5, 3), zeros(5, ScalarType.Int64)), steps: 5).Status);   // 3–4
        trainer.TrainStep(randn(2, 3), zeros(2, ScalarType.Int64));                                             // 5

        Assert.Equal([4L, 4, 2, 5, 5, 2], objective.Seen.Select(s => s.Rows));
        Assert.All(objective.Seen, s => Assert.Equal((DeviceType.META, DeviceType.META), (s.Inputs, s.Targets)));
        Assert.True(data.Features.device_type == DeviceType.CPU && data.Labels.device_type == DeviceType.CPU);   // the data set stays put
    }

    [Fact]
    public void On_the_models_device_a_batch_is_not_copied()
    {
        var model = nn.Linear(3, 2);
        var objective = new RecordingObjective();
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.1), objective);
        Assert.Equal(DeviceType.CPU, trainer.Device.type);
        Assert.Equal(DeviceType.CPU, Trainer.ModelDevice(nn.ReLU()).type);   // no parameters or buffers: the CPU
        var x = randn(2, 3);
        Assert.Same(x, Trainer.OnDevice(x, CPU));
        Assert.Same(x, Trainer.OnDevice(x, Devices.Choose("cpu")));
        using var moved = Trainer.OnDevice(x, Meta);
        Assert.Equal(DeviceType.META, moved.device_type);
        Assert.Equal(x.shape, moved.shape);
    }

    [Fact]
    public void Inference_feeds_the_model_on_its_device_and_returns_results_on_the_datas_device()
    {
        var model = nn.Linear(3, 2).to(Meta);
        var seen = new List<DeviceType>();
        using var data = new LabeledTensors(randn(7, 3), zeros(7, ScalarType.Int64));
        using var result = Inference.Map(model, x => { seen.Add(x.device_type); return ones(x.shape[0], 2); }, data, batchSize: 3);
        Assert.Equal([DeviceType.META, DeviceType.META, DeviceType.META], seen);
        Assert.Equal(DeviceType.CPU, result.device_type);
        Assert.Equal(new long[] { 7, 2 }, result.shape);
    }

    [Fact]
    public void Choose_honours_the_argument_then_LOSSLAB_DEVICE_and_names_what_is_available_when_a_device_is_not()
    {
        string? saved = Environment.GetEnvironmentVariable(Devices.EnvironmentVariable);
        try
        {
            var available = Devices.Available();
            Assert.Equal("cpu", available[0]);
            Assert.Equal(cuda.is_available(), available.Any(a => a.StartsWith("cuda:", StringComparison.Ordinal)));

            Environment.SetEnvironmentVariable(Devices.EnvironmentVariable, "cpu");
            Assert.Equal(DeviceType.CPU, Devices.Choose().type);
            Assert.Equal(DeviceType.CPU, Devices.Choose("auto").type);          // "auto" defers to the variable
            Assert.Equal(DeviceType.CPU, Devices.Choose(" CPU ").type);

            var unknown = Assert.Throws<ArgumentException>(() => Devices.Choose("tpu"));
            Assert.Equal("requested", unknown.ParamName);
            Assert.Contains("'tpu'", unknown.Message);
            Assert.Contains("cpu", unknown.Message);
            Assert.Contains("not a device name", Assert.Throws<ArgumentException>(() => Devices.Choose("cuda:x")).Message);

            if (!cuda.is_available())
            {
                foreach (var name in new[] { "cuda", "cuda:0", "cuda:1" })
                {
                    var ex = Assert.Throws<ArgumentException>(() => Devices.Choose(name));
                    Assert.Contains($"Device '{name}'", ex.Message);
                    Assert.Contains("This process can use: cpu.", ex.Message);
                    Assert.Contains("LossLabTorchBackend=TorchSharp-cuda-linux", ex.Message);
                }
                Environment.SetEnvironmentVariable(Devices.EnvironmentVariable, "cuda");
                var fromEnvironment = Assert.Throws<ArgumentException>(() => Devices.Choose());
                Assert.Null(fromEnvironment.ParamName);
                Assert.Contains("LOSSLAB_DEVICE='cuda'", fromEnvironment.Message);
                Assert.Contains("This process can use: cpu.", fromEnvironment.Message);
                Environment.SetEnvironmentVariable(Devices.EnvironmentVariable, "auto");
                Assert.Equal(DeviceType.CPU, Devices.Choose().type);             // auto: the CPU when there is no GPU
                Environment.SetEnvironmentVariable(Devices.EnvironmentVariable, null);
                Assert.Equal(DeviceType.CPU, Devices.Choose().type);
            }
            if (!available.Contains("mps"))
                Assert.Contains("Device 'mps': Apple's Metal (MPS) backend is not available", Assert.Throws<ArgumentException>(() => Devices.Choose("mps")).Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Devices.EnvironmentVariable, saved);
        }
    }
}
