using LossLab.Training;
using LossLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using LabeledTensors = LossLab.Data.LabeledTensors;

namespace LossLab.Tests.Training;

[Collection(GlobalRandomCollection.Name)]
public class TrainerTests
{
    /// <summary>A deterministic 3-class problem: 96 points, 6 features, labels from the sign pattern of a fixed projection.</summary>
    internal static LabeledTensors SmallClassification(long seed = 7, int n = 96, int features = 6)
    {
        using var g = Seeds.Generator(seed, 99);
        var x = randn(n, features, generator: g);
        var y = x.narrow(1, 0, 3).argmax(1);
        return new LabeledTensors(x, y);
    }

    static double[] Flat(nn.Module model) =>
        model.parameters().SelectMany(p => p.detach().to_type(ScalarType.Float64).data<double>().ToArray()).ToArray();

    [Fact]
    public void Sgd_steps_with_a_schedule_match_an_explicit_float64_gradient_descent()
    {
        // Linear regression y ≈ W x + b, mean squared error, batches of 2 in order, lr(step) = 0.1 / (1 + step).
        double[,] xs = { { 1, 2 }, { -1, 0.5 }, { 0.3, -2 }, { 2, 1 }, { -0.7, -0.4 } };
        double[] ys = { 1, -2, 0.5, 3, -1 };
        var model = nn.Linear(2, 1, dtype: ScalarType.Float64);
        double[] w = model.weight!.data<double>().ToArray();
        double b = model.bias!.data<double>()[0];
        var data = new LabeledTensors(tensor(xs), tensor(ys).reshape(5, 1));
        var opt = optim.SGD(model.parameters(), 1.0);
        Func<long, double> schedule = s => 0.1 / (1 + s);
        var trainer = new Trainer(model, opt, batch => nn.functional.mse_loss(model.forward(batch.Inputs), batch.Targets))
        { Schedule = schedule, Shuffle = false };
        var result = trainer.Fit(data, untilEpoch: 2, batchSize: 2);

        // reference: explicit loops, batches {0,1}, {2,3}, {4} per epoch
        int[][] batches = [[0, 1], [2, 3], [4]];
        var losses = new List<double>();
        long step = 0;
        for (int epoch = 0; epoch < 2; epoch++)
            foreach (var batch in batches)
            {
                double gw0 = 0, gw1 = 0, gb = 0, loss = 0;
                foreach (int i in batch)
                {
                    double r = w[0] * xs[i, 0] + w[1] * xs[i, 1] + b - ys[i];
                    loss += r * r / batch.Length;
                    gw0 += 2 * r * xs[i, 0] / batch.Length; gw1 += 2 * r * xs[i, 1] / batch.Length; gb += 2 * r / batch.Length;
                }
                losses.Add(loss);
                double lr = schedule(step++);
                w[0] -= lr * gw0; w[1] -= lr * gw1; b -= lr * gb;
            }

        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.Equal(6, result.Steps);
        Assert.Equal(2, result.Epochs);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(losses[i], trainer.History.Losses[i], 12);
            Assert.Equal(schedule(i), trainer.History.LearningRates[i], 15);
        }
        Assert.Equal(w[0], model.weight.data<double>()[0], 12);
        Assert.Equal(w[1], model.weight.data<double>()[1], 12);
        Assert.Equal(b, model.bias.data<double>()[0], 12);
        Assert.Equal(schedule(5), opt.ParamGroups.First().LearningRate, 15);
        // epoch means of the step losses
        Assert.Equal(losses.Take(3).Average(), trainer.History.Epochs[0].TrainLoss, 12);
        Assert.Equal(losses.Skip(3).Average(), trainer.History.Epochs[1].TrainLoss, 12);
    }

    [Fact]
    public void A_classifier_trained_with_per_epoch_evaluation_learns_a_separable_problem()
    {
        Seeds.Fix(0);
        using var train = SmallClassification(seed: 1, n: 256);
        using var test = SmallClassification(seed: 2, n: 128);
        var model = new Mlp([6, 32, 3]);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), 1e-2), Objectives.CrossEntropy(model))
        {
            Seed = 0,
            Schedule = step => 1e-2 * Math.Min(1.0, (step + 1) / 10.0),   // linear warm-up over 10 steps
            Progress = new SparseProgressPrinter(TextWriter.Null),
        };
        trainer.AddMetric("test_accuracy", () =>
        {
            using var logits = Inference.Predict(model, test);
            return logits.argmax(1).eq(test.Labels).to_type(ScalarType.Float64).mean().item<double>();
        });
        var result = trainer.Fit(train, untilEpoch: 15, batchSize: 32);

        Assert.Equal(TrainingStatus.Completed, result.Status);
        var accuracy = trainer.History.EpochFrame().GetColumn<double>("test_accuracy").Values.ToArray();
        Assert.Equal(15, accuracy.Length);
        // labels are the argmax of the first three features: a linear rule the MLP learns to ≥ 90 % on fresh data
        Assert.True(accuracy[^1] >= 0.9, $"test accuracy {accuracy[^1]}");
        Assert.True(accuracy[^1] > accuracy[0]);
        Assert.True(trainer.History.Epochs[^1].TrainLoss < trainer.History.Epochs[0].TrainLoss);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_non_finite_loss_stops_before_the_update_with_the_step_and_last_finite_loss(double bad)
    {
        Seeds.Fix(3);
        using var data = SmallClassification();
        var model = new Mlp([6, 16, 3]);
        var opt = optim.Adam(model.parameters(), 1e-2);
        double[]? afterThree = null;
        var progress = new Progress(p => { if (p.Step == 3) afterThree = Flat(model); });
        var trainer = new Trainer(model, opt, b =>
        {
            var ce = nn.functional.cross_entropy(model.forward(b.Inputs), b.Targets);
            return b.Step == 3 ? ce * bad : ce;
        })
        { Progress = progress, ProgressEvery = 1, Seed = 1 };

        var result = trainer.Fit(data, untilEpoch: 5, batchSize: 16);

        Assert.Equal(TrainingStatus.NonFinite, result.Status);
        Assert.Equal(3, result.NonFiniteStep);
        Assert.Equal(3, trainer.Step);
        Assert.Equal(3, trainer.History.StepCount);
        Assert.Equal(trainer.History.Losses[2], result.LastFiniteLoss);
        Assert.True(double.IsNaN(bad) ? double.IsNaN(result.NonFiniteLoss!.Value) : double.IsPositiveInfinity(result.NonFiniteLoss!.Value));
        Assert.Equal(afterThree, Flat(model));   // the bad step did not touch the parameters
        var ex = Assert.Throws<NonFiniteLossException>(() => result.ThrowIfNonFinite());
        Assert.Equal(3, ex.Step);
        Assert.Equal(result.LastFiniteLoss, ex.LastFiniteLoss);
    }

    [Fact]
    public void TrainStep_throws_on_a_non_finite_loss()
    {
        var model = nn.Linear(2, 1);
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.1), b => model.forward(b.Inputs).sum() * double.NaN);
        using var x = ones(4, 2);
        var ex = Assert.Throws<NonFiniteLossException>(() => trainer.TrainStep(x, x));
        Assert.Equal(0, ex.Step);
        Assert.True(double.IsNaN(ex.LastFiniteLoss));
    }

    [Fact]
    public void Same_seed_gives_a_bitwise_identical_loss_history_and_another_seed_does_not()
    {
        double[] Run(long seed)
        {
            Seeds.Fix(seed);
            using var data = SmallClassification();
            var model = new Mlp([6, 32, 3], dropout: 0.2);
            var trainer = new Trainer(model, optim.Adam(model.parameters(), 1e-2), Objectives.CrossEntropy(model)) { Seed = seed };
            trainer.Fit(data, untilEpoch: 3, batchSize: 16);
            return [.. trainer.History.Losses, .. Flat(model)];
        }
        var a = Run(11);
        var b = Run(11);
        var c = Run(12);
        Assert.Equal(a, b);   // exact equality of every double
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Fit_counts_epochs_cumulatively_untilEpoch_is_a_target_not_a_number_of_more_epochs()
    {
        using var data = SmallClassification();   // 96 samples, batch 32: 3 steps per epoch
        var model = new Mlp([6, 8, 3]);
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.1), Objectives.CrossEntropy(model)) { Seed = 3 };
        trainer.Fit(data, untilEpoch: 2, batchSize: 32);
        Assert.Equal((2, 6L), (trainer.Epoch, trainer.Step));
        trainer.Fit(data, untilEpoch: 3, batchSize: 32);          // one more epoch, not three
        Assert.Equal((3, 9L), (trainer.Epoch, trainer.Step));
        var again = trainer.Fit(data, untilEpoch: 2, batchSize: 32);   // already past: nothing to do
        Assert.Equal((3, 9L), (trainer.Epoch, trainer.Step));
        Assert.Equal(TrainingStatus.Completed, again.Status);
        trainer.Fit(data, trainer.Epoch + 2, 32);                   // "two more"
        Assert.Equal((5, 15L), (trainer.Epoch, trainer.Step));
        Assert.Equal(5, trainer.History.EpochFrame().RowCount);
    }

    [Fact]
    public void A_run_killed_after_a_checkpoint_resumes_to_the_same_parameters_bit_for_bit()
    {
        string dir = Path.Combine(Path.GetTempPath(), "losslab-ckpt-" + Guid.NewGuid().ToString("N"));
        string path = Path.Combine(dir, "run.ckpt");
        try
        {
            // uninterrupted: 96 samples, batch 16 → 6 steps per epoch, 3 epochs = 18 steps
            Seeds.Fix(5);
            using var data = SmallClassification();
            var straightModel = new Mlp([6, 24, 3], dropout: 0.3);
            var straight = new Trainer(straightModel, optim.Adam(straightModel.parameters(), 1e-2), Objectives.CrossEntropy(straightModel))
            { Seed = 21, Schedule = s => 1e-2 * (1 - s / 20.0) };
            straight.Fit(data, untilEpoch: 3, batchSize: 16);
            var expected = Flat(straightModel);

            // killed: checkpoints every 4 steps and at epoch ends; cancelled at step 10, so the last checkpoint is step 8
            // (mid-epoch 1); steps 9–10 are lost, as in a kill.
            Seeds.Fix(5);
            using (var cts = new CancellationTokenSource())
            {
                var m = new Mlp([6, 24, 3], dropout: 0.3);
                var opt = optim.Adam(m.parameters(), 1e-2);
                var killed = new Trainer(m, opt, Objectives.CrossEntropy(m))
                {
                    Seed = 21, Schedule = s => 1e-2 * (1 - s / 20.0), CheckpointPath = path, CheckpointEvery = 4,
                    Progress = new Progress(p => { if (p.Step == 10) cts.Cancel(); }), ProgressEvery = 1,
                };
                Assert.Equal(TrainingStatus.Cancelled, killed.Fit(data, untilEpoch: 3, batchSize: 16, cts.Token).Status);
                Assert.Equal(10, killed.Step);
                opt.Dispose();
                m.Dispose();
            }
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));

            // resumed in a fresh trainer whose model starts elsewhere and whose global generator was seeded differently
            Seeds.Fix(999);
            var resumedModel = new Mlp([6, 24, 3], dropout: 0.3);
            var resumed = new Trainer(resumedModel, optim.Adam(resumedModel.parameters(), 1e-2), Objectives.CrossEntropy(resumedModel))
            { Seed = 21, Schedule = s => 1e-2 * (1 - s / 20.0), CheckpointPath = path, CheckpointEvery = 4 };
            var result = resumed.Fit(data, untilEpoch: 3, batchSize: 16);

            Assert.Equal(TrainingStatus.Completed, result.Status);
            Assert.Equal(18, resumed.Step);
            Assert.Equal(expected, Flat(resumedModel));
            Assert.Equal(straight.History.Losses, resumed.History.Losses);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Evaluations_run_once_per_epoch_in_eval_mode_without_gradients_and_fill_the_epoch_frame()
    {
        Seeds.Fix(1);
        using var data = SmallClassification();
        var model = new Mlp([6, 8, 3]);
        var calls = new List<(int Epoch, bool Training, bool Grad)>();
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.1), Objectives.CrossEntropy(model))
            .AddEvaluation(e => { calls.Add((e, model.training, is_grad_enabled())); return new Dictionary<string, double> { ["twice_epoch"] = 2 * e }; })
            .AddMetric("constant", () => 0.5);
        trainer.Fit(data, untilEpoch: 3, batchSize: 32);

        Assert.Equal([(0, false, false), (1, false, false), (2, false, false)], calls);
        Assert.True(model.training);
        var epochs = trainer.History.EpochFrame();
        Assert.Equal(new[] { 0.0, 2.0, 4.0 }, epochs.GetColumn<double>("twice_epoch").Values.ToArray());
        Assert.Equal(new[] { 0.5, 0.5, 0.5 }, epochs.GetColumn<double>("constant").Values.ToArray());
        Assert.Equal(new[] { 3.0, 6.0, 9.0 }, epochs.GetColumn<double>("step").Values.ToArray());
        var steps = trainer.History.StepFrame();
        Assert.Equal(9, steps.RowCount);
        Assert.Equal(trainer.History.Losses, steps.GetColumn<double>("loss").Values.ToArray());
        Assert.Equal(new double[] { 0, 0, 0, 1, 1, 1, 2, 2, 2 }, steps.GetColumn<double>("epoch").Values.ToArray());
    }

    [Fact]
    public void Progress_is_reported_every_few_steps_and_at_each_epoch_end_with_metrics()
    {
        Seeds.Fix(1);
        using var data = SmallClassification();   // 96 samples, batch 16 → 6 steps per epoch
        var model = new Mlp([6, 8, 3]);
        var reports = new List<TrainingProgress>();
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.1), Objectives.CrossEntropy(model))
        { Progress = new Progress(reports.Add), ProgressEvery = 4 }.AddMetric("m", () => 1);
        trainer.Fit(data, untilEpoch: 2, batchSize: 16);
        // steps 4, 6 (epoch end), 8, 12 (epoch end)
        Assert.Equal(new long[] { 4, 6, 8, 12 }, reports.Select(r => r.Step).ToArray());
        Assert.Equal(new[] { false, true, false, true }, reports.Select(r => r.Metrics is not null).ToArray());
        Assert.All(reports, r => Assert.Equal(12, r.TotalSteps));
        Assert.Equal(1.0, reports[^1].Fraction);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_their_names()
    {
        using var data = SmallClassification(n: 10);
        var model = new Mlp([6, 3]);
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.1), Objectives.CrossEntropy(model)) { DropLast = true };
        Assert.Equal("untilEpoch", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(data, -1, 4)).ParamName);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(data, 1, 0)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(data, 1, 11)).ParamName);
        Assert.Throws<ArgumentNullException>(() => new Trainer(model, null!, Objectives.CrossEntropy(model)));
    }

    [Fact]
    public void A_corrupt_checkpoint_is_reported_as_such()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a checkpoint");
            var model = new Mlp([6, 3]);
            var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.1), Objectives.CrossEntropy(model));
            Assert.Throws<InvalidDataException>(() => trainer.LoadCheckpoint(path));
        }
        finally { File.Delete(path); }
    }

    /// <summary>An objective with state of its own: it counts its calls and draws a per-call weight from that count.</summary>
    sealed class CountingObjective(Mlp model) : ITrainingObjective, ICheckpointable
    {
        public long Calls { get; private set; }
        public Tensor Loss(Batch batch)
        {
            double weight = 1 + (Seeds.Derive(17, Calls++) % 1000) / 1000.0;
            return weight * nn.functional.cross_entropy(model.forward(batch.Inputs), batch.Targets);
        }
        public void SaveState(BinaryWriter writer) => writer.Write(Calls);
        public void LoadState(BinaryReader reader) => Calls = reader.ReadInt64();
    }

    [Fact]
    public void An_objective_with_state_is_checkpointed_and_restored()
    {
        string path = Path.Combine(Path.GetTempPath(), "losslab-ckpt-" + Guid.NewGuid().ToString("N") + ".ckpt");
        try
        {
            Seeds.Fix(2);
            using var data = SmallClassification();
            var a = new Mlp([6, 8, 3]);
            var objectiveA = new CountingObjective(a);
            var first = new Trainer(a, optim.SGD(a.parameters(), 0.1), objectiveA) { CheckpointPath = path, CheckpointEvery = 3 };
            first.Fit(data, untilEpoch: 1, batchSize: 16);   // 6 steps; checkpoint at step 3 and at the epoch end
            Assert.Equal(6, objectiveA.Calls);

            var b = new Mlp([6, 8, 3]);
            var objectiveB = new CountingObjective(b);
            var second = new Trainer(b, optim.SGD(b.parameters(), 0.1), objectiveB) { CheckpointPath = path };
            second.Fit(data, untilEpoch: 2, batchSize: 16);
            Assert.Equal(12, objectiveB.Calls);
            Assert.Equal(first.History.Losses, second.History.Losses.Take(6));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bad_progress_and_checkpoint_intervals_are_rejected()
    {
        using var data = SmallClassification(n: 8);
        var model = new Mlp([6, 3]);
        var noProgress = new Trainer(model, optim.SGD(model.parameters(), 0.1), Objectives.CrossEntropy(model)) { ProgressEvery = 0 };
        Assert.Equal("ProgressEvery", Assert.Throws<ArgumentOutOfRangeException>(() => noProgress.Fit(data, 1, 4)).ParamName);
        var negative = new Trainer(model, optim.SGD(model.parameters(), 0.1), Objectives.CrossEntropy(model)) { CheckpointEvery = -1 };
        Assert.Equal("CheckpointEvery", Assert.Throws<ArgumentOutOfRangeException>(() => negative.Fit(data, 1, 4)).ParamName);
    }

    /// <summary>A synchronous progress sink (System.Progress posts to a synchronisation context).</summary>
    sealed class Progress(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }
}
