using LossLab.Optim;
using TorchSharp;
using TorchSharp.Modules;

namespace LossLab.Experiments.Optimization;

/// <summary>An optimizer as an arm of a comparison: its name, the learning rates it is tuned over, and how it is built on
/// a model's parameters at a learning rate. The factories give the optimizers of Kunstner et al. (2024, "Heavy-Tailed Class
/// Imbalance and Why Adam Outperforms Gradient Descent on Language Models", arXiv:2402.19449): gradient descent, Adam,
/// sign descent and normalised gradient descent.</summary>
public sealed record OptimizerArm
{
    /// <summary>An arm named <paramref name="name"/>, tuned over <paramref name="rates"/>, built by <paramref name="create"/>.</summary>
    /// <exception cref="ArgumentException">A blank name, no rate, or a rate that is not positive and finite.</exception>
    public OptimizerArm(string name, IReadOnlyList<double> rates, Func<IEnumerable<Parameter>, double, torch.optim.Optimizer> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(create);
        if (rates.Count == 0) throw new ArgumentException($"the arm '{name}' needs at least one learning rate.", nameof(rates));
        var bad = rates.Where(r => !(r > 0 && double.IsFinite(r))).ToArray();
        if (bad.Length > 0)
            throw new ArgumentException($"the learning rates of '{name}' must be positive and finite; got [{string.Join(", ", rates)}].", nameof(rates));
        Name = name;
        Rates = rates.ToArray();
        Create = create;
    }

    /// <summary>The arm's name.</summary>
    public string Name { get; }

    /// <summary>The learning rates the arm is tuned over.</summary>
    public IReadOnlyList<double> Rates { get; }

    /// <summary>Builds the optimizer on the parameters at a learning rate.</summary>
    public Func<IEnumerable<Parameter>, double, torch.optim.Optimizer> Create { get; }

    /// <summary>Gradient descent θ ← θ − η·g (full batch when the batch is the data set).</summary>
    public static OptimizerArm GradientDescent(IReadOnlyList<double> rates, string name = "GD") =>
        new(name, rates, (ps, lr) => Optimizers.SGD(ps, lr));

    /// <summary>Adam (Kingma &amp; Ba, 2015, arXiv:1412.6980) with β = (0.9, 0.999).</summary>
    public static OptimizerArm Adam(IReadOnlyList<double> rates, string name = "Adam") =>
        new(name, rates, (ps, lr) => Optimizers.Adam(ps, lr));

    /// <summary>Sign descent θ ← θ − η·sign(g) (<see cref="Optim.SignDescent"/>).</summary>
    public static OptimizerArm SignDescent(IReadOnlyList<double> rates, string name = "sign descent") =>
        new(name, rates, (ps, lr) => new SignDescent(ps, lr));

    /// <summary>Normalised gradient descent θ ← θ − η·g/‖g‖ (<see cref="NormalizedGradientDescent"/>).</summary>
    public static OptimizerArm NormalizedGradientDescent(IReadOnlyList<double> rates, string name = "normalised GD") =>
        new(name, rates, (ps, lr) => new NormalizedGradientDescent(ps, lr));
}
