namespace Whc.Declarative.Sandbox;

/// <summary>
/// Applies an order's items to an inventory. Used twice with the same rules: on a copy of the inventory when the order
/// is created (validation), and on the real inventory when the order completes (where a conflict that arose after
/// creation fails the item). Deletions process their children first; a failed item fails its children.
/// </summary>
internal sealed partial class WhcEmulator
{
    private const string ParentFailed = "parent item failed";

    private sealed record OrderRun(SandboxState State, OrderRecord Order, DateTimeOffset Now, bool AtCreation)
    {
        public string NextServiceId(string prefix) => prefix + Next(() => State.NextServiceNumber++);
    }

    private static void ApplyOrder(SandboxState state, OrderRecord order, DateTimeOffset now, bool atCreation)
    {
        var run = new OrderRun(state, order, now, atCreation);
        foreach (var item in order.Items)
        {
            ApplyItem(run, item, null, null, parentFailed: false);
        }
    }

    private static void ApplyItem(OrderRun run, OrderItemRecord item, CompanyRecord? company, SiteRecord? site, bool parentFailed)
    {
        if (parentFailed)
        {
            Finish(item, ParentFailed);
            foreach (var child in item.Items)
            {
                ApplyItem(run, child, company, site, parentFailed: true);
            }

            return;
        }

        string? error;
        object? target = null;
        if (item.Action == Add && item.ProductOfferingId != Company)
        {
            error = null;
        }
        else
        {
            error = Locate(run, item, company, out target);
        }

        if (item.Action == Delete && error is null)
        {
            foreach (var child in item.Items)
            {
                ApplyItem(run, child, target as CompanyRecord ?? company, target as SiteRecord ?? site, parentFailed: false);
            }

            error = Flatten(item.Items).Any(i => i.State == OrderStates.Failed) ? "a child item failed, so this item was not ceased" : Perform(run, item, company, site, ref target);
            Finish(item, error);
            return;
        }

        error ??= Perform(run, item, company, site, ref target);
        Finish(item, error);
        foreach (var child in item.Items)
        {
            ApplyItem(run, child, target as CompanyRecord ?? company, target as SiteRecord ?? site, parentFailed: error is not null);
        }
    }

    private static void Finish(OrderItemRecord item, string? error)
    {
        item.State = error is null ? OrderStates.Completed : OrderStates.Failed;
        item.ErrorMessage = error;
    }

    /// <summary>Finds the existing product an item refers to (for a new company: the company its qualification reserved).</summary>
    private static string? Locate(OrderRun run, OrderItemRecord item, CompanyRecord? company, out object? target)
    {
        target = null;
        switch (item.ProductOfferingId)
        {
            case Company when item.Action == Add:
                var byQualification = run.State.Companies.FirstOrDefault(c => c.Qualifications.Any(q => q.Id == item.QualificationId));
                var qualification = byQualification?.Qualifications.First(q => q.Id == item.QualificationId);
                if (item.QualificationId is null)
                {
                    return "a new company needs its qualification (qualification[0].id)";
                }

                if (byQualification is null || qualification is null || byQualification.CugId != run.Order.CugId)
                {
                    return $"unknown qualification {item.QualificationId}";
                }

                if (byQualification.Status != CompanyStatus.Qualified)
                {
                    return $"company {byQualification.ServiceId} is already {byQualification.Status}";
                }

                if (run.AtCreation && qualification.ExpiresAt <= run.Now)
                {
                    return $"qualification {qualification.Id} expired at {qualification.ExpiresAt:yyyy-MM-ddTHH:mm:sszzz}";
                }

                if (run.AtCreation ? qualification.UsedByOrderId is not null : qualification.UsedByOrderId != run.Order.Id)
                {
                    return $"qualification {qualification.Id} is already used by order {qualification.UsedByOrderId}";
                }

                if (item.ProductId is not null && item.ProductId != byQualification.ServiceId)
                {
                    return $"product.id {item.ProductId} is not the service id of qualification {qualification.Id}";
                }

                target = byQualification;
                return null;
            case Company:
                target = run.State.Companies.FirstOrDefault(c => c.ServiceId == item.ProductId && c.CugId == run.Order.CugId && c.Status == CompanyStatus.Active);
                return target is null ? $"unknown company service id {item.ProductId}" : null;
            case Site:
                target = company?.Sites.FirstOrDefault(s => s.ServiceId == item.ProductId && s.Status == CompanyStatus.Active);
                return target is null ? $"unknown site service id {item.ProductId}" : null;
            case User:
                target = company?.Users.FirstOrDefault(u => u.ServiceId == item.ProductId && u.Status == CompanyStatus.Active);
                return target is null ? $"unknown user service id {item.ProductId}" : null;
            case NewNumber or PortedNumber:
                target = company?.NumberRanges.FirstOrDefault(r => r.ServiceId == item.ProductId && r.Status == RangeStatus.Active && r.Ported == (item.ProductOfferingId == PortedNumber));
                return target is null ? $"unknown number range service id {item.ProductId}" : null;
            default:
                return $"{item.ProductOfferingId} is not emulated by the sandbox";
        }
    }

    private static string? Perform(OrderRun run, OrderItemRecord item, CompanyRecord? company, SiteRecord? site, ref object? target)
    {
        if (item.Action == NoChange)
        {
            return null;
        }

        return item.ProductOfferingId switch
        {
            Company => PerformCompany(run, item, (CompanyRecord?)target),
            NewNumber or PortedNumber when company is not null => PerformNumber(run, item, company, ref target),
            Site when company is not null => PerformSite(run, item, company, ref target),
            User when company is not null => PerformUser(run, item, company, site, ref target),
            _ => "no company to apply this item to",
        };
    }

    private static string? PerformCompany(OrderRun run, OrderItemRecord item, CompanyRecord? company)
    {
        if (company is null)
        {
            return "unknown company";
        }

        var c = item.Characteristics;
        switch (item.Action)
        {
            case Add:
                if (c.TryGetValue("customerName", out var name) && !SameText(name, company.CompanyName))
                {
                    return $"customerName '{name}' differs from the qualified name '{company.CompanyName}'";
                }

                if (c.TryGetValue("customerDomain", out var qualifiedDomain) && !SameText(qualifiedDomain, company.CompanyDomain))
                {
                    return $"customerDomain '{qualifiedDomain}' differs from the qualified domain '{company.CompanyDomain}'";
                }

                company.Status = CompanyStatus.Active;
                company.BillingAccount = run.Order.BillingAccount ?? company.BillingAccount;
                item.ProductId = company.ServiceId;
                return null;
            case Modify:
                if (c.TryGetValue("customerDomain", out var domain) && !SameText(domain, company.CompanyDomain)
                    && run.State.Companies.Any(o => o != company && IsLive(o, run.Now) && SameText(o.CompanyDomain, domain)))
                {
                    return $"company domain '{domain}' is already registered";
                }

                if (c.TryGetValue("customerName", out var newName) && !SameText(newName, company.CompanyName)
                    && run.State.Companies.Any(o => o != company && IsLive(o, run.Now) && SameText(o.CompanyName, newName)))
                {
                    return $"company name '{newName}' is already registered";
                }

                company.CompanyDomain = domain ?? company.CompanyDomain;
                company.CompanyName = newName ?? company.CompanyName;
                company.CustomerGroup = c.GetValueOrDefault("customerGroup") ?? company.CustomerGroup;
                return null;
            default:
                company.Status = CompanyStatus.Ceased;
                company.Sites.ForEach(s => s.Status = CompanyStatus.Ceased);
                company.Users.ForEach(u => u.Status = CompanyStatus.Ceased);
                company.NumberRanges.ForEach(r => r.Status = RangeStatus.Ceased);
                return null;
        }
    }

    private static string? PerformNumber(OrderRun run, OrderItemRecord item, CompanyRecord company, ref object? target)
    {
        switch (item.Action)
        {
            case Add:
                var start = item.Characteristics.GetValueOrDefault("startNumber");
                var end = item.Characteristics.GetValueOrDefault("endNumber");
                // A WHCPortednumber item orders a ported range, a WHCNewnumber item one of new numbers: never the other.
                var ported = item.ProductOfferingId == PortedNumber;
                var range = company.NumberRanges.FirstOrDefault(r => r.Status == RangeStatus.RingFenced && r.StartNumber == start && r.EndNumber == end && r.Ported == ported);
                if (range is null)
                {
                    return $"{(ported ? "ported " : string.Empty)}number range {start}-{end} is not ringfenced to company {company.ServiceId}";
                }

                range.Status = RangeStatus.Active;
                range.ServiceId = run.NextServiceId("WHHNBTWKN");
                item.ProductId = range.ServiceId;
                target = range;
                return null;
            case Delete:
                var ceasing = (NumberRangeRecord?)target;
                if (ceasing is not null && company.Users.Any(u => u.Status == CompanyStatus.Active && NumberPlan.Contains(ceasing, u.DirectoryNumber)))
                {
                    return $"number range {ceasing.StartNumber}-{ceasing.EndNumber} is still used by users";
                }

                if (ceasing is not null)
                {
                    ceasing.Status = RangeStatus.Ceased;
                }

                return null;
            default:
                return "a number range cannot be modified; cease it and add another";
        }
    }

    private static string? PerformSite(OrderRun run, OrderItemRecord item, CompanyRecord company, ref object? target)
    {
        var existing = target as SiteRecord;
        if (item.Action == Delete)
        {
            if (existing is not null && company.Users.Any(u => u.Status == CompanyStatus.Active && u.SiteServiceId == existing.ServiceId))
            {
                return $"site {existing.ServiceId} still has users";
            }

            existing?.Status = CompanyStatus.Ceased;
            return null;
        }

        var c = item.Characteristics;
        var name = c.GetValueOrDefault("siteName") ?? existing?.SiteName;
        var code = c.GetValueOrDefault("siteLocationCode") ?? existing?.SiteLocationCode;
        var nadKey = item.NadKey ?? existing?.NadKey;
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(code))
        {
            return "siteName and siteLocationCode are required";
        }

        if (string.IsNullOrWhiteSpace(nadKey))
        {
            return "an installation address (product.place[0].id, the NAD key) is required";
        }

        if (!AddressBook.Seeded.Concat(run.State.CreatedAddresses).Any(a => a.Id == nadKey))
        {
            return $"unknown NAD key {nadKey}";
        }

        var others = company.Sites.Where(s => s.Status == CompanyStatus.Active && s != existing).ToList();
        if (others.Any(s => SameText(s.SiteName, name)))
        {
            return $"site name '{name}' is already used in company {company.ServiceId}";
        }

        if (others.Any(s => SameText(s.SiteLocationCode, code)))
        {
            return $"site location code '{code}' is already used in company {company.ServiceId}";
        }

        var site = existing ?? new SiteRecord { ServiceId = run.NextServiceId("WHHSBTWKN") };
        site.SiteName = name;
        site.SiteLocationCode = code;
        site.NadKey = nadKey;
        if (existing is null)
        {
            company.Sites.Add(site);
            item.ProductId = site.ServiceId;
            target = site;
        }

        return null;
    }

    private static string? PerformUser(OrderRun run, OrderItemRecord item, CompanyRecord company, SiteRecord? site, ref object? target)
    {
        var existing = target as UserRecord;
        if (item.Action == Delete)
        {
            existing?.Status = CompanyStatus.Ceased;
            return null;
        }

        if (site is null)
        {
            return "a user must be placed under a site";
        }

        var c = item.Characteristics;
        var user = new UserRecord
        {
            ServiceId = existing?.ServiceId ?? "",
            SiteServiceId = site.ServiceId,
            Username = c.GetValueOrDefault("username") ?? existing?.Username ?? "",
            FirstName = c.GetValueOrDefault("firstName") ?? existing?.FirstName ?? "",
            LastName = c.GetValueOrDefault("lastName") ?? existing?.LastName ?? "",
            Extension = c.GetValueOrDefault("extension") ?? existing?.Extension ?? "",
            DirectoryNumber = c.GetValueOrDefault("directoryNumber") ?? existing?.DirectoryNumber ?? "",
            Licence = c.GetValueOrDefault("licence") ?? existing?.Licence ?? "standard",
            MacAddresses = c.TryGetValue("macAddress", out var macs)
                ? macs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(NormalizeMac).ToList()
                : existing?.MacAddresses ?? [],
        };
        // A directory number is optional: extension-only users (no DDI) are common in hosted telephony.
        var missing = new[] { ("username", user.Username), ("firstName", user.FirstName), ("lastName", user.LastName), ("extension", user.Extension) }
            .Where(f => string.IsNullOrWhiteSpace(f.Item2)).Select(f => f.Item1).ToList();
        if (missing.Count > 0)
        {
            return $"missing characteristics: {string.Join(", ", missing)}";
        }

        var activeUsers = run.State.Companies.Where(x => x.Status != CompanyStatus.Ceased)
            .SelectMany(x => x.Users.Where(u => u.Status == CompanyStatus.Active && u.ServiceId != user.ServiceId).Select(u => (Company: x, User: u))).ToList();
        if (activeUsers.Any(p => SameText(p.User.Username, user.Username)))
        {
            return $"username '{user.Username}' is already registered";
        }

        if (activeUsers.Any(p => p.Company == company && p.User.Extension == user.Extension))
        {
            return $"extension {user.Extension} is already used in company {company.ServiceId}";
        }

        if (user.MacAddresses.Distinct(StringComparer.Ordinal).Count() != user.MacAddresses.Count)
        {
            return "a MAC address is listed twice";
        }

        if (activeUsers.SelectMany(p => p.User.MacAddresses).Intersect(user.MacAddresses, StringComparer.Ordinal).FirstOrDefault() is { } mac)
        {
            return $"MAC address {mac} is already registered";
        }

        if (user.DirectoryNumber.Length > 0 && !company.NumberRanges.Any(r => r.Status != RangeStatus.Ceased && NumberPlan.Contains(r, user.DirectoryNumber)))
        {
            return $"directory number {user.DirectoryNumber} is not in a number range ringfenced to company {company.ServiceId}";
        }

        if (user.DirectoryNumber.Length > 0 && activeUsers.Any(p => p.Company == company && p.User.DirectoryNumber == user.DirectoryNumber))
        {
            return $"directory number {user.DirectoryNumber} is already used in company {company.ServiceId}";
        }

        if (existing is null)
        {
            user.ServiceId = run.NextServiceId("WHHUBTWKN");
            company.Users.Add(user);
            item.ProductId = user.ServiceId;
            target = user;
        }
        else
        {
            var index = company.Users.IndexOf(existing);
            company.Users[index] = user;
            target = user;
        }

        return null;
    }

    private static string NormalizeMac(string mac) => new(mac.Where(char.IsAsciiHexDigit).Select(char.ToUpperInvariant).ToArray());
}
