using System.Net;
using AngleSharp.Dom;

namespace DichVuCong.Tests.Infrastructure;

/// <summary>Fills and posts a page's form the way a browser would, antiforgery token included.</summary>
internal static class Forms
{
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, IDocument page, string formSelector, IDictionary<string, string> fields)
    {
        var form = page.QuerySelector(formSelector) ?? throw new InvalidOperationException($"No form {formSelector} on {page.Url}");
        // What a browser sends: every named input with its current value, checked boxes, text areas, selected options.
        var values = new List<KeyValuePair<string, string>>();
        foreach (var input in form.QuerySelectorAll("input[name]"))
        {
            var type = input.GetAttribute("type") ?? "text";
            if (type is "submit" or "button" or "file" || (type is "checkbox" or "radio" && !input.HasAttribute("checked")))
            {
                continue;
            }

            values.Add(new(input.GetAttribute("name")!, input.GetAttribute("value") ?? (type is "checkbox" or "radio" ? "on" : string.Empty)));
        }

        foreach (var area in form.QuerySelectorAll("textarea[name]"))
        {
            values.Add(new(area.GetAttribute("name")!, area.TextContent));
        }

        foreach (var select in form.QuerySelectorAll("select[name]"))
        {
            var option = select.QuerySelector("option[selected]") ?? select.QuerySelector("option");
            if (option is not null)
            {
                values.Add(new(select.GetAttribute("name")!, option.GetAttribute("value") ?? option.TextContent));
            }
        }

        // What the test types replaces what the page had under that name ("Ids[0]" replaces every "Ids").
        static string Base(string name) => name.Split('[')[0];
        var typed = fields.Keys.Select(Base).ToHashSet();
        values.RemoveAll(v => typed.Contains(Base(v.Key)));
        values.AddRange(fields);

        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? new Uri(page.Url).PathAndQuery : action;
        using var content = new FormUrlEncodedContent(values);
        return await client.PostAsync(new Uri(target, UriKind.Relative), content);
    }

    public static async Task<IDocument> FollowAsync(this HttpClient client, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await client.GetPageAsync(response.Headers.Location!.OriginalString);
    }
}
