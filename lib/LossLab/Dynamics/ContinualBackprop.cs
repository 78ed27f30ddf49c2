using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>Continual backpropagation (Dohare et al., 2024, "Loss of Plasticity in Deep Continual Learning", Nature;
/// arXiv:2306.13812) on a chain of linear layers L₀ → L₁ → … → L_k, hidden layer l being the (activated) output of L_l.
/// After each step, the contribution utility of hidden unit i is
/// uᵢ ← η·uᵢ + (1 − η)·mean_b|h_{b,i}|·Σ_k |w_{k,i}| (w the outgoing weights, columns of L_{l+1}.weight), every unit ages
/// by one, and a fraction ρ of the mature units (age &gt; m) is replaced per step: the eligible units with the lowest
/// utility get fresh incoming weights U(−1/√fan_in, 1/√fan_in), zero bias, zero outgoing weights, utility 0 and age 0.
/// Paper: η = 0.99, m = 100, ρ ≈ 10⁻⁴ (10⁻³ for small nets).</summary>
/// <remarks>Zero outgoing weights keep a fresh unit from changing the output until it has learned. Optimizer moments of the
/// replaced weights are not reset here; the paper resets Adam's, which matters little at small ρ.</remarks>
public sealed class ContinualBackprop
{
    readonly Linear[] layers;
    readonly double[][] utility;
    readonly long[][] age;
    readonly double[] pending;
    readonly Generator generator;

    /// <summary>ρ, replacement rate per eligible unit per step.</summary>
    public double ReplacementRate { get; }
    /// <summary>η, decay of the utility average.</summary>
    public double Decay { get; }
    /// <summary>m, age a unit must exceed before it can be replaced.</summary>
    public int MaturityThreshold { get; }
    /// <summary>Total number of units replaced so far.</summary>
    public long Replaced { get; private set; }

    /// <param name="layers">The linear layers in order (at least two: one hidden layer).</param>
    /// <param name="replacementRate">ρ ∈ [0, 1].</param>
    /// <param name="decay">η ∈ [0, 1).</param>
    /// <param name="maturityThreshold">m ≥ 0.</param>
    /// <param name="seed">Seed of the re-initialisation.</param>
    public ContinualBackprop(IEnumerable<Linear> layers, double replacementRate = 1e-4, double decay = 0.99, int maturityThreshold = 100, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(layers);
        this.layers = layers.ToArray();
        if (this.layers.Length < 2)
            throw new ArgumentException($"layers must hold at least two linear layers (one hidden layer); got {this.layers.Length}.", nameof(layers));
        for (var l = 0; l + 1 < this.layers.Length; l++)
            if (this.layers[l].weight!.shape[0] != this.layers[l + 1].weight!.shape[1])
                throw new ArgumentException(
                    $"layers[{l}] has {this.layers[l].weight!.shape[0]} outputs but layers[{l + 1}] takes {this.layers[l + 1].weight!.shape[1]} inputs.", nameof(layers));
        ReplacementRate = Guard.InRange(replacementRate, 0, 1, nameof(replacementRate));
        Decay = decay is >= 0 and < 1 ? decay : throw new ArgumentOutOfRangeException(nameof(decay), decay, "η must lie in [0, 1).");
        MaturityThreshold = maturityThreshold >= 0 ? maturityThreshold
            : throw new ArgumentOutOfRangeException(nameof(maturityThreshold), maturityThreshold, "maturityThreshold must be non-negative.");
        var hidden = this.layers.Length - 1;
        utility = new double[hidden][];
        age = new long[hidden][];
        pending = new double[hidden];
        for (var l = 0; l < hidden; l++)
        {
            var units = (int)this.layers[l].weight!.shape[0];
            utility[l] = new double[units];
            age[l] = new long[units];
        }
        generator = new Generator((ulong)seed);
    }

    /// <summary>The current utilities of hidden layer <paramref name="layer"/>.</summary>
    public IReadOnlyList<double> Utility(int layer) => utility[layer];

    /// <summary>The current ages of the units of hidden layer <paramref name="layer"/>.</summary>
    public IReadOnlyList<long> Age(int layer) => age[layer];

    /// <summary>Updates utilities and ages from this step's hidden activations, then replaces units.</summary>
    /// <param name="hidden">For each hidden layer l, its activations (B, U_l) this step.</param>
    /// <returns>The number of units replaced in this call.</returns>
    public int Step(IReadOnlyList<Tensor> hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (hidden.Count != utility.Length)
            throw new ArgumentException($"hidden must hold one activation tensor per hidden layer ({utility.Length}); got {hidden.Count}.", nameof(hidden));
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var replaced = 0;
        for (var l = 0; l < utility.Length; l++)
        {
            var h = hidden[l];
            Guard.Rank(h, 2, $"hidden[{l}]");
            if (h.shape[1] != utility[l].Length)
                throw new ArgumentException($"hidden[{l}] must have {utility[l].Length} units; got shape {Guard.Shape(h)}.", nameof(hidden));
            var meanAbs = h.detach().to_type(ScalarType.Float64).abs().mean([0L]).cpu().data<double>().ToArray();
            var outgoing = layers[l + 1].weight!.detach().to_type(ScalarType.Float64).abs().sum([0L]).cpu().data<double>().ToArray();
            for (var i = 0; i < meanAbs.Length; i++)
            {
                utility[l][i] = Decay * utility[l][i] + (1 - Decay) * meanAbs[i] * outgoing[i];
                age[l][i]++;
            }
            replaced += Replace(l);
        }
        Replaced += replaced;
        return replaced;
    }

    int Replace(int l)
    {
        var eligible = Enumerable.Range(0, utility[l].Length).Where(i => age[l][i] > MaturityThreshold).ToArray();
        if (eligible.Length == 0) return 0;
        pending[l] += ReplacementRate * eligible.Length;
        var n = (int)Math.Min(Math.Floor(pending[l]), eligible.Length);
        if (n == 0) return 0;
        pending[l] -= n;
        var chosen = eligible.OrderBy(i => utility[l][i]).ThenBy(i => i).Take(n).ToArray();
        var incoming = layers[l].weight!;
        var bound = 1 / Math.Sqrt(incoming.shape[1]);
        var outgoing = layers[l + 1].weight!;
        foreach (var i in chosen)
        {
            var row = torch.rand(incoming.shape[1], dtype: incoming.dtype, device: generator.device, generator: generator).to(incoming.device).mul_(2 * bound).sub_(bound);
            incoming[i].copy_(row);
            layers[l].bias?[i].zero_();
            outgoing[.., i].zero_();
            utility[l][i] = 0;
            age[l][i] = 0;
        }
        return n;
    }
}
