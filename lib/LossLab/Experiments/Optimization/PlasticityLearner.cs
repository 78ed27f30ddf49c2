using LossLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Experiments.Optimization;

/// <summary>A learner of <see cref="PlasticityBench"/>: what runs after every optimizer step besides the base optimizer
/// (Dohare et al., 2024, "Loss of Plasticity in Deep Continual Learning", arXiv:2306.13812): nothing (plain), continual
/// backprop's unit replacement, or shrink-and-perturb (Ash &amp; Adams, 2020, arXiv:1910.08475).</summary>
public sealed class PlasticityLearner
{
    readonly Func<PlasticityNetwork, int, Device, (Action AfterStep, Func<long> Replaced)?> attach;

    PlasticityLearner(string name, Func<PlasticityNetwork, int, Device, (Action, Func<long>)?> attach)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        this.attach = attach;
    }

    /// <summary>The learner's name.</summary>
    public string Name { get; }

    /// <summary>The base optimizer alone.</summary>
    public static PlasticityLearner Plain(string name = "plain") => new(name, (_, _, _) => null);

    /// <summary>Continual backprop (<see cref="Dynamics.ContinualBackprop"/>) over every hidden layer: replacement rate ρ,
    /// maturity m, utility decay η (paper: ρ ≈ 10⁻⁴, 10⁻³ for small nets; m = 100; η = 0.99); its re-initialisation is
    /// seeded by the run's seed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">ρ outside [0, 1], a negative maturity, or η outside [0, 1).</exception>
    public static PlasticityLearner ContinualBackprop(double replacementRate, int maturity, double decay = 0.99, string name = "continual backprop")
    {
        Guard.InRange(replacementRate, 0, 1, nameof(replacementRate));
        if (maturity < 0) throw new ArgumentOutOfRangeException(nameof(maturity), maturity, "maturity must be non-negative.");
        if (!(decay >= 0 && decay < 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "decay η must lie in [0, 1).");
        return new(name, (net, seed, _) =>
        {
            var cbp = new Dynamics.ContinualBackprop(net.Layers, replacementRate, decay, maturity, seed);
            return (() => cbp.Step(net.LastHidden), () => cbp.Replaced);
        });
    }

    /// <summary>Shrink-and-perturb θ ← λθ + σε after every step (<see cref="Dynamics.ShrinkAndPerturb"/>), ε drawn from stream
    /// 7 of the run's seed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">λ outside [0, 1] or a negative σ.</exception>
    public static PlasticityLearner ShrinkAndPerturb(double shrink, double noiseStd, string name = "shrink-and-perturb")
    {
        Guard.InRange(shrink, 0, 1, nameof(shrink));
        Guard.NonNegative(noiseStd, nameof(noiseStd));
        return new(name, (net, seed, device) =>
        {
            var noise = Seeds.Generator(seed, 7, device);
            return (() => Dynamics.ShrinkAndPerturb.Apply(net.Parameters, shrink, noiseStd, noise), () => 0L);
        });
    }

    internal (Action AfterStep, Func<long> Replaced)? Attach(PlasticityNetwork network, int seed, Device device) => attach(network, seed, device);
}
