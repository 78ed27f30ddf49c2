using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// SalUn's audit of an unlearned model (Fan et al. 2024, arXiv:2310.12508), all in percent: FA, RA, TA = accuracy on the
/// forget, retain and test sets; UA = 100 − FA; MIA-efficacy (<see cref="MembershipInference.Efficacy"/>); plus the
/// loss-threshold MIA AUC (as a fraction in [0, 1]) of D_f against D_test.
/// </summary>
public sealed record UnlearningMetrics(double ForgetAccuracy, double RetainAccuracy, double TestAccuracy, double MiaEfficacy, double LossMiaAuc)
{
    /// <summary>UA = 100 − FA.</summary>
    public double UnlearningAccuracy => 100 - ForgetAccuracy;

    /// <summary>Evaluates <paramref name="model"/> on the three sets; <paramref name="seed"/> draws the MIA's shadow
    /// members from the retain set (<see cref="MembershipInference.ShadowMemberIndices"/>).</summary>
    public static UnlearningMetrics Evaluate(nn.Module<Tensor, Tensor> model, LabeledTensors forget, LabeledTensors retain, LabeledTensors test,
        long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new(ModelOutputs.AccuracyPercent(model, forget), ModelOutputs.AccuracyPercent(model, retain),
            ModelOutputs.AccuracyPercent(model, test), MembershipInference.Efficacy(model, forget, retain, test, seed),
            MembershipInference.LossAuc(model, forget, test));
    }

    /// <summary>SalUn's average gap: mean over {UA, MIA-efficacy, RA, TA} of |this − retrain| (percentage points).</summary>
    public double AverageGap(UnlearningMetrics retrain)
    {
        ArgumentNullException.ThrowIfNull(retrain);
        return (Math.Abs(UnlearningAccuracy - retrain.UnlearningAccuracy) + Math.Abs(MiaEfficacy - retrain.MiaEfficacy)
                + Math.Abs(RetainAccuracy - retrain.RetainAccuracy) + Math.Abs(TestAccuracy - retrain.TestAccuracy)) / 4;
    }
}
