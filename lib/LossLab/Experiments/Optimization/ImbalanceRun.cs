namespace LossLab.Experiments.Optimization;

/// <summary>One full-batch run of <see cref="ZipfImbalanceBench"/>: the training loss before every step, and (when class
/// curves are recorded) the loss of each class-frequency group before every step.</summary>
/// <param name="Optimizer">The optimizer arm.</param>
/// <param name="Rate">Its learning rate.</param>
/// <param name="Exponent">The Zipf exponent s of the class frequencies.</param>
/// <param name="Seed">The data seed.</param>
/// <param name="Loss">The training loss before each step (up to the last finite one).</param>
/// <param name="Deciles">Per step, the sample-weighted loss of each frequency decile (decile 1 the most frequent classes);
/// empty without class curves.</param>
/// <param name="FrequentHalf">Per step, the loss of the most frequent half of the classes (empty without class curves).</param>
/// <param name="RareHalf">Per step, the loss of the rarest half of the classes (empty without class curves).</param>
/// <param name="Finite">Whether every step had a finite loss (false: the run diverged and stopped).</param>
/// <param name="PriorLoss">The loss of the best constant predictor: log-probabilities equal to the empirical class
/// frequencies.</param>
public sealed record ImbalanceRun(string Optimizer, double Rate, double Exponent, int Seed, double[] Loss, double[][] Deciles,
    double[] FrequentHalf, double[] RareHalf, bool Finite, double PriorLoss)
{
    /// <summary>The final loss for tuning: +∞ for a diverged run, so that a diverged rate never wins.</summary>
    public double Final => Finite ? Loss[^1] : double.PositiveInfinity;

    /// <summary>The last finite loss (a diverged run is measured there).</summary>
    public double LastLoss => LastFinite(Loss);

    /// <summary>1 − L_rare(T)/L_rare(0): the relative loss reduction of the rarest half of the classes.</summary>
    public double RareReduction => RareHalf.Length == 0 ? double.NaN : 1 - LastFinite(RareHalf) / RareHalf[0];

    /// <summary>1 − L_frequent(T)/L_frequent(0): the relative loss reduction of the most frequent half.</summary>
    public double FrequentReduction => FrequentHalf.Length == 0 ? double.NaN : 1 - LastFinite(FrequentHalf) / FrequentHalf[0];

    /// <summary>The rare share: how much of the frequent half's relative progress the rare half makes (1: as much; near 0:
    /// none).</summary>
    public double RareShare => RareReduction / FrequentReduction;

    static double LastFinite(double[] xs) => xs.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Last();
}
