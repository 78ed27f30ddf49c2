using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Experiments.MetricLearning;

/// <summary>
/// Contrastive loss with an individual, learned temperature per training sample: iSogCLR's robust (KL-DRO) objective
/// (Qiu et al., ICML 2023, arXiv:2305.11965). For an anchor i of two stacked views (2N rows) with positive i⁺ (the other
/// view) and negatives S_i (the other 2N − 2 rows),
/// L_i(τ_i) = τ_i·log[(1/|S_i|)·Σ_{j∈S_i} exp((s_ij − s_ii⁺)/τ_i)] + τ_i·ρ, s = cosine similarity;
/// the loss is the mean of L_i. The temperatures are state, one per sample of the data set (both views of a sample
/// share it), and are not trained by the optimizer: each call of <see cref="Views"/> with <c>updateTemperatures</c> takes
/// one projected gradient step τ_i ← clip(τ_i − η·∂L_i/∂τ_i, τ_min, τ_max) with the exact partial derivative
/// ∂L_i/∂τ_i = ρ − KL(w_i ‖ uniform), w_i = softmax over S_i of (s_ij − s_ii⁺)/τ_i (averaged over the two views), taken
/// at the current similarities, while the encoder gets the gradient of the loss at fixed τ. iSogCLR's moving-average
/// estimator of the inner mean (which makes it batch-size independent) is not used: the inner mean is the batch's.
/// At the optimum KL(w_i‖u) = ρ: an anchor whose negatives include many close, semantically similar samples (a frequent
/// class) concentrates w_i and gets a larger τ_i.
/// </summary>
public sealed class IndividualTemperatureLoss
{
    readonly double[] temperatures;

    /// <param name="samples">N, the training samples (each gets a temperature).</param>
    /// <param name="rho">ρ ≥ 0, the DRO radius (0.5).</param>
    /// <param name="initialTemperature">τ at the start (0.3).</param>
    /// <param name="minTemperature">τ_min &gt; 0 (0.05).</param>
    /// <param name="maxTemperature">τ_max ≥ τ_min (1).</param>
    /// <param name="temperatureRate">η &gt; 0 of the temperature step (0.05).</param>
    public IndividualTemperatureLoss(int samples, double rho = 0.5, double initialTemperature = 0.3, double minTemperature = 0.05,
        double maxTemperature = 1, double temperatureRate = 0.05)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "samples must be at least 1.");
        Rho = Guard.NonNegative(rho, nameof(rho));
        MinTemperature = Guard.Positive(minTemperature, nameof(minTemperature));
        if (!(maxTemperature >= minTemperature))
            throw new ArgumentOutOfRangeException(nameof(maxTemperature), maxTemperature, $"maxTemperature must be at least minTemperature ({minTemperature}).");
        MaxTemperature = maxTemperature;
        Guard.InRange(initialTemperature, minTemperature, maxTemperature, nameof(initialTemperature));
        TemperatureRate = Guard.Positive(temperatureRate, nameof(temperatureRate));
        temperatures = Enumerable.Repeat(initialTemperature, samples).ToArray();
    }

    /// <summary>ρ.</summary>
    public double Rho { get; }
    /// <summary>τ_min.</summary>
    public double MinTemperature { get; }
    /// <summary>τ_max.</summary>
    public double MaxTemperature { get; }
    /// <summary>η.</summary>
    public double TemperatureRate { get; }
    /// <summary>The current τ_i of every sample (a copy).</summary>
    public double[] Temperatures => (double[])temperatures.Clone();

    /// <summary>The loss of two views <paramref name="view1"/>, <paramref name="view2"/> (B, D) of the samples whose data-set
    /// indices are <paramref name="indices"/> (B, int64), differentiable in the views; with
    /// <paramref name="updateTemperatures"/> the batch's temperatures then take one projected step.</summary>
    /// <exception cref="ArgumentException">Views of different shapes, fewer than two rows, or indices that do not fit.</exception>
    public Tensor Views(Tensor view1, Tensor view2, Tensor indices, bool updateTemperatures = true)
    {
        ArgumentNullException.ThrowIfNull(view1);
        ArgumentNullException.ThrowIfNull(view2);
        ArgumentNullException.ThrowIfNull(indices);
        Guard.Rank(view1, 2, nameof(view1));
        Guard.Floating(view1, nameof(view1));
        Guard.SameShape(view1, view2, nameof(view1), nameof(view2));
        Guard.Rank(indices, 1, nameof(indices));
        Guard.Labels(indices, nameof(indices));
        long b = view1.shape[0];
        if (b < 2) throw new ArgumentException($"view1 must hold at least two rows; got {Guard.Shape(view1)}.", nameof(view1));
        if (indices.shape[0] != b)
            throw new ArgumentException($"indices must have one entry per row: view1 is {Guard.Shape(view1)}, indices is {Guard.Shape(indices)}.", nameof(indices));
        var index = indices.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        foreach (var i in index)
            if (i < 0 || i >= temperatures.Length)
                throw new ArgumentException($"indices must lie in [0, {temperatures.Length}); got {i}.", nameof(indices));

        var tauRow = new double[2 * b];
        for (int r = 0; r < b; r++) tauRow[r] = tauRow[r + b] = temperatures[index[r]];
        var tau = tensor(tauRow, dtype: view1.dtype, device: view1.device).unsqueeze(1);
        var z = nn.functional.normalize(cat([view1, view2], 0), p: 2, dim: 1);
        var sim = z.matmul(z.t());
        var rows = arange(2 * b, dtype: ScalarType.Int64, device: z.device);
        var partner = (rows + b) % (2 * b);
        var positive = sim.gather(1, partner.unsqueeze(1));
        var negativeMask = ones(2 * b, 2 * b, dtype: ScalarType.Bool, device: z.device)
            .index_put_(zeros(1, dtype: ScalarType.Bool), rows, rows)
            .index_put_(zeros(1, dtype: ScalarType.Bool), rows, partner);
        var scaled = ((sim - positive) / tau).masked_fill(negativeMask.logical_not(), TorchScalars.NegativeInfinity);
        double logCount = Math.Log(2 * b - 2);
        var logMean = scaled.logsumexp(1) - logCount;
        var loss = (tau.squeeze(1) * (logMean + Rho)).mean();

        if (updateTemperatures)
        {
            double[] kl;
            using (no_grad())
            {
                var logW = scaled - scaled.logsumexp(1, keepdim: true);
                var w = logW.exp();
                kl = ((w * (logW + logCount)).masked_fill(negativeMask.logical_not(), TorchScalars.Zero).sum(1))
                    .to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            }
            for (int r = 0; r < b; r++)
            {
                double gradient = Rho - 0.5 * (kl[r] + kl[r + b]);
                long i = index[r];
                temperatures[i] = Math.Clamp(temperatures[i] - TemperatureRate * gradient, MinTemperature, MaxTemperature);
            }
        }
        return loss;
    }
}
