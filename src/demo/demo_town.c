/*
 * demo_town.c — the demo town: the codes and names of its villages, and the
 * test every division code given to the demo must pass (see demo_internal.h
 * for how the demo's files fit).
 *
 * A demo town store holds several demo villages as if each had synced: the
 * command (taizhang demo --town) creates the town store and calls
 * demo_populate once per village with demo_town_village's code and name, and
 * demo.c writes that village's rows exactly as in the village's own store.
 */
#include <stdio.h>
#include <string.h>

#include "taizhang/division.h"

#include "demo_internal.h"

/* Villages of the demo town, in the county's style: a family name and the
 * kind of place (庄, 岗, 湾, 圩, 郢 ...), a few collective-era names. */
static const char *const town_village_names[DEMO_TOWN_MAX_VILLAGES] = {
	"示范村", "李庄村", "王岗村", "张湾村", "刘圩村", "陈郢村", "杨店村", "周集村",
	"吴桥村", "徐楼村", "孙岗村", "马店村", "胡台村", "高塘村", "何老庄村", "郭岗村",
	"林湾村", "罗圩村", "郑郢村", "梁集村", "谢店村", "宋楼村", "唐桥村", "许塘村",
	"韩庄村", "冯岗村", "邓湾村", "曹圩村", "彭郢村", "曾集村", "田店村", "董楼村",
	"袁桥村", "潘塘村", "前进村", "红星村", "团结村", "新建村", "光明村", "东风村",
};


int demo_town_village(const char *town_code, unsigned index, char code[13], const char **name,
		      struct tz_error *err)
{
	if (!division_code_valid(town_code))
		return tz_error_set(err, TZ_EUSAGE, "镇代码“%s”应为 12 位数字",
				    town_code ? town_code : "");
	if (index >= DEMO_TOWN_MAX_VILLAGES)
		return tz_error_set(err, TZ_EUSAGE, "演示镇最多 %d 个村", DEMO_TOWN_MAX_VILLAGES);
	snprintf(code, 13, "%.9s%03u", town_code, 201 + index);
	*name = town_village_names[index];
	return TZ_OK;
}
