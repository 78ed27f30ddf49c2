using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>The two kinds of SCRUB step.</summary>
public enum ScrubPhase
{
    /// <summary>Max step on the forget set: move the student away from the teacher, L = −KL(teacher ‖ student).</summary>
    Max,
    /// <summary>Min step on the retain set: L = γ·CE + α·KL(teacher ‖ student).</summary>
    Min,
}

/// <summary>
/// SCRUB (Kurmanji, Triantafillou, Hayes, Triantafillou 2023, "Towards Unbounded Machine Unlearning", arXiv:2302.09880):
/// the student (the model being unlearned) alternates max steps on D_f, L = −KL_T(teacher ‖ student), and min steps on
/// D_r, L = γ·CE + α·KL_T(teacher ‖ student), with the original model as teacher. KL_T is the distillation divergence at
/// temperature T: T²·mean_i Σ_c p_t,c (log p_t,c − log p_s,c), p = softmax(z/T). Defaults are the original notebook's:
/// γ = 0.99, α = 0.001, T = 4.
/// </summary>
/// <remarks>The original runs max passes over D_f then min passes over D_r, by epochs (msteps = 2 of sgda_epochs = 3).
/// Here the budget is in steps: each round is <c>maxStepsPerRound</c> max steps followed by <c>minStepsPerRound</c> min
/// steps, and after <c>maxRounds</c> rounds only min steps remain.</remarks>
public sealed class Scrub : IUnlearningObjective
{
    /// <param name="teacher">The original model (frozen; evaluated under no_grad in eval mode).</param>
    /// <param name="gamma">γ, weight of retain CE (0.99).</param>
    /// <param name="alpha">α, weight of retain KL (0.001).</param>
    /// <param name="temperature">T (4).</param>
    /// <param name="maxStepsPerRound">Max steps at the start of each round (≥ 0).</param>
    /// <param name="minStepsPerRound">Min steps after them (≥ 1).</param>
    /// <param name="maxRounds">Rounds that contain max steps (msteps).</param>
    public Scrub(nn.Module<Tensor, Tensor> teacher, double gamma = 0.99, double alpha = 0.001, double temperature = 4.0,
        int maxStepsPerRound = 5, int minStepsPerRound = 20, int maxRounds = 2)
    {
        Teacher = teacher ?? throw new ArgumentNullException(nameof(teacher));
        Gamma = Guard.NonNegative(gamma, nameof(gamma));
        Alpha = Guard.NonNegative(alpha, nameof(alpha));
        Temperature = Guard.Positive(temperature, nameof(temperature));
        if (maxStepsPerRound < 0) throw new ArgumentOutOfRangeException(nameof(maxStepsPerRound), maxStepsPerRound, "maxStepsPerRound must be ≥ 0.");
        if (minStepsPerRound < 1) throw new ArgumentOutOfRangeException(nameof(minStepsPerRound), minStepsPerRound, "minStepsPerRound must be ≥ 1.");
        if (maxRounds < 0) throw new ArgumentOutOfRangeException(nameof(maxRounds), maxRounds, "maxRounds must be ≥ 0.");
        MaxStepsPerRound = maxStepsPerRound;
        MinStepsPerRound = minStepsPerRound;
        MaxRounds = maxRounds;
    }

    /// <summary>The teacher.</summary>
    public nn.Module<Tensor, Tensor> Teacher { get; }
    /// <summary>γ.</summary>
    public double Gamma { get; }
    /// <summary>α.</summary>
    public double Alpha { get; }
    /// <summary>T.</summary>
    public double Temperature { get; }
    /// <summary>Max steps per round.</summary>
    public int MaxStepsPerRound { get; }
    /// <summary>Min steps per round.</summary>
    public int MinStepsPerRound { get; }
    /// <summary>Rounds with max steps.</summary>
    public int MaxRounds { get; }

    /// <inheritdoc/>
    public string Name => "SCRUB";

    /// <summary>Whether <paramref name="step"/> is a max or a min step.</summary>
    public ScrubPhase Phase(int step)
    {
        int round = MaxStepsPerRound + MinStepsPerRound;
        return step / round < MaxRounds && step % round < MaxStepsPerRound ? ScrubPhase.Max : ScrubPhase.Min;
    }

    /// <summary>KL_T(teacher ‖ student) = T²·mean_i Σ_c p_t (log p_t − log p_s), p = softmax(z/T).</summary>
    public static Tensor DistillationKl(Tensor studentLogits, Tensor teacherLogits, double temperature)
    {
        Guard.SameShape(studentLogits, teacherLogits, nameof(studentLogits), nameof(teacherLogits));
        var logPs = nn.functional.log_softmax(studentLogits / temperature, 1);
        var logPt = nn.functional.log_softmax(teacherLogits / temperature, 1);
        return (logPt.exp() * (logPt - logPs)).sum(1).mean() * (temperature * temperature);
    }

    Tensor TeacherLogits(Tensor x)
    {
        using var _ = no_grad();
        bool training = Teacher.training;
        Teacher.eval();
        var z = Teacher.call(x).detach();
        if (training) Teacher.train();
        return z;
    }

    /// <inheritdoc/>
    public Tensor Loss(nn.Module<Tensor, Tensor> model, UnlearningBatch batch)
    {
        if (Phase(batch.Step) == ScrubPhase.Max)
        {
            if (batch.ForgetX.shape[0] == 0) return ForgetRetainObjective.ZeroWithGraph(model, batch.ForgetX);
            return -DistillationKl(model.call(batch.ForgetX), TeacherLogits(batch.ForgetX), Temperature);
        }
        if (batch.RetainX.shape[0] == 0) return ForgetRetainObjective.ZeroWithGraph(model, batch.RetainX);
        var logits = model.call(batch.RetainX);
        Guard.LogitsAndTargets(logits, batch.RetainY, "retain logits", nameof(batch.RetainY));
        return Gamma * nn.functional.cross_entropy(logits, batch.RetainY)
               + Alpha * DistillationKl(logits, TeacherLogits(batch.RetainX), Temperature);
    }
}
