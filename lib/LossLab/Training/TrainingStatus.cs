namespace LossLab.Training;

/// <summary>How a training run ended.</summary>
public enum TrainingStatus
{
    /// <summary>Every requested epoch ran.</summary>
    Completed,
    /// <summary>A step's loss was NaN or infinite; training stopped before that step's update.</summary>
    NonFinite,
    /// <summary>The cancellation token fired; training stopped between steps.</summary>
    Cancelled,
}
