namespace LossLab.Data;

/// <summary>How class sizes fall from the largest to the smallest in a long-tailed subset (Cao et al., 2019, arXiv:1906.07413).</summary>
public enum ImbalanceProfile
{
    /// <summary>Exponential decay: n_c = ⌊n_max · ρ^(−c/(C−1))⌋, so class 0 keeps n_max and class C−1 keeps n_max/ρ.</summary>
    Exponential,

    /// <summary>Step: the first ⌊C/2⌋ classes keep n_max, the others ⌊n_max/ρ⌋.</summary>
    Step,
}
