using System.Globalization;
using System.Text;

namespace HospitalFed.Learning.Synthetic.Internal;

/// <summary>Writes patients as extract lines in <see cref="CohortSchema"/>'s column order; a hidden value is an empty field (smoking: <c>NA</c>).</summary>
internal static class ExtractWriter
{
    public static string Write(string site, IReadOnlyList<Patient> patients, IReadOnlyList<bool> labels, int first, int count)
    {
        var text = new StringBuilder((count + 1) * 72);
        text.Append(CohortSchema.Header).Append('\n');
        for (var i = first; i < first + count; i++)
        {
            var p = patients[i];
            text.Append(CultureInfo.InvariantCulture, $"{site}-{i:D6},{p.Age:0},{(p.Male ? 'M' : 'F')},{p.SystolicBp:0},");
            if (!p.CreatinineMissing)
            {
                text.Append(CultureInfo.InvariantCulture, $"{p.Creatinine:0.00}");
            }

            text.Append(CultureInfo.InvariantCulture, $",{p.Crp:0.0},");
            if (!p.TroponinMissing)
            {
                text.Append(CultureInfo.InvariantCulture, $"{p.Troponin:0.0000}");
            }

            text.Append(CultureInfo.InvariantCulture, $",{p.Hba1c:0.0},{p.PriorAdmissions},{Patient.AdmissionTypes[p.AdmissionType]},");
            text.Append(p.SmokingMissing ? "NA" : Patient.SmokingLevels[p.Smoking]);
            text.Append(labels[i] ? ",yes\n" : ",no\n");
        }

        return text.ToString();
    }
}
