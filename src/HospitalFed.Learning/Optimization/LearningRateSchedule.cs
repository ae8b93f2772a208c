namespace HospitalFed.Learning.Optimization;

/// <summary>How the learning rate changes over a training run (<see cref="TrainingOptions.Schedule"/>).</summary>
public enum LearningRateSchedule
{
    /// <summary><c>"constant"</c>: <see cref="TrainingOptions.LearningRate"/> throughout.</summary>
    Constant,

    /// <summary>
    /// <c>"cosine"</c>: half a cosine from <see cref="TrainingOptions.LearningRate"/> at the start to
    /// <see cref="TrainingOptions.LearningRate"/> x <see cref="TrainingOptions.FinalLearningRateFraction"/>
    /// at the end (Loshchilov and Hutter, ICLR 2017, eq. 5, one cycle without restarts).
    /// </summary>
    Cosine,
}
