namespace LossLab.Scaling;

/// <summary>
/// The penalty ρ(r) on a residual r = log L̂ − log L: the Huber loss ρ(r) = r²/2 for |r| ≤ δ, δ·(|r| − δ/2) beyond
/// (Huber 1964; Hoffmann et al. 2022 use δ = 1e-3 on log-loss residuals), or least squares ρ(r) = r²/2.
/// </summary>
public sealed record ResidualLoss
{
    ResidualLoss(double delta) => Delta = delta;

    /// <summary>The Huber threshold δ; +∞ for least squares.</summary>
    public double Delta { get; }

    /// <summary>True for the Huber loss.</summary>
    public bool IsHuber => double.IsFinite(Delta);

    /// <summary>The Huber loss with threshold <paramref name="delta"/> (Hoffmann et al.: 1e-3).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive and finite.</exception>
    public static ResidualLoss Huber(double delta = 1e-3) => new(Guard.Positive(delta, nameof(delta)));

    /// <summary>Least squares, ρ(r) = r²/2.</summary>
    public static ResidualLoss LeastSquares { get; } = new(double.PositiveInfinity);

    /// <summary>ρ(r).</summary>
    public double Value(double r)
    {
        double a = Math.Abs(r);
        return a <= Delta ? 0.5 * r * r : Delta * (a - 0.5 * Delta);
    }

    /// <summary>ρ′(r).</summary>
    public double Derivative(double r) => Math.Abs(r) <= Delta ? r : Math.CopySign(Delta, r);

    /// <inheritdoc/>
    public override string ToString() => IsHuber ? $"Huber(δ = {Delta:G3})" : "least squares";
}
